package dev.music.common.ratelimit;

import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The address a request came from. Behind the entry point (nginx in the cluster, dev.java's on a laptop) that is the
 * rightmost {@code X-Forwarded-For} entry: the one the entry point itself appended, which a client cannot forge.
 * Anything to its left is what the client claimed and is ignored. Without the header: the peer address. In the
 * cluster only the gateway can reach s1 and s2 (their NetworkPolicies).
 */
public final class ClientAddress {

	private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

	private ClientAddress() {
	}

	public static String of(HttpServletRequest request) {
		List<String> headers = Collections.list(request.getHeaders("X-Forwarded-For"));
		for (int i = headers.size() - 1; i >= 0; i--) {
			String[] entries = headers.get(i).split(",");
			for (int j = entries.length - 1; j >= 0; j--) {
				String entry = entries[j].strip();
				if (!entry.isEmpty()) {
					return ADDRESS.matcher(entry).matches() ? entry : request.getRemoteAddr();
				}
			}
		}
		return request.getRemoteAddr();
	}

}
