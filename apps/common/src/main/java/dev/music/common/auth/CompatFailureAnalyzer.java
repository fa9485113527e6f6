package dev.music.common.auth;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** The one sentence a pod's log shows when AUTH_COMPAT=true reaches a cluster. */
public class CompatFailureAnalyzer extends AbstractFailureAnalyzer<CompatInKubernetes> {

	static final String WHY = "AUTH_COMPAT=true would accept any Authorization header, so this service refuses to start"
			+ " inside Kubernetes (KUBERNETES_SERVICE_HOST is set).";

	@Override
	protected FailureAnalysis analyze(Throwable root, CompatInKubernetes cause) {
		return new FailureAnalysis(WHY, "Remove AUTH_COMPAT from the pod's environment; compat mode is for a laptop:"
				+ " ./jbang scripts/dev.java --compat-auth.", cause);
	}

}
