package dev.music.common.auth;

import org.springframework.security.core.AuthenticationException;

/** The keys to check a token with could not be had (s1's JWKS, the cluster's): the caller may retry. */
public class KeysUnavailable extends AuthenticationException {

	public KeysUnavailable(Throwable cause) {
		super("token keys unavailable", cause);
	}

}
