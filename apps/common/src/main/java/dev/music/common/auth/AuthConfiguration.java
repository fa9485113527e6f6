package dev.music.common.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * What s1 and s2 share about user tokens: their settings, the JSON 401/403/503 answers, and the refusal to run
 * AUTH_COMPAT inside Kubernetes.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuthProperties.class)
public class AuthConfiguration {

	private static final Logger log = LoggerFactory.getLogger(AuthConfiguration.class);

	@Bean
	JsonAuthErrors jsonAuthErrors(AuthProperties properties, Environment environment) {
		if (properties.compat()) {
			if (environment.containsProperty("KUBERNETES_SERVICE_HOST")) {
				throw new CompatInKubernetes();
			}
			log.warn("AUTH_COMPAT is on: any non-empty Authorization header is accepted and no per-object rule applies"
					+ " (old course clients; never in a cluster)");
		}
		return new JsonAuthErrors(JsonAuthErrors.ERROR);
	}

}
