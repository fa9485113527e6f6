package dev.music.common.auth;

/** AUTH_COMPAT=true in a pod: the service does not start ({@link CompatFailureAnalyzer} says why). */
public class CompatInKubernetes extends RuntimeException {

	public CompatInKubernetes() {
		super("AUTH_COMPAT=true inside Kubernetes", null, false, false);
	}

}
