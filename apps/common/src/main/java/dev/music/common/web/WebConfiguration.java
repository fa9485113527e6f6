package dev.music.common.web;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.apache.catalina.core.StandardHost;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/** The web plumbing every service shares: access log, strict JSON bodies, function lookup. */
@AutoConfiguration
@EnableConfigurationProperties({ WebProperties.class, dev.music.common.ratelimit.RateLimitProperties.class })
public class WebConfiguration {

	@Bean
	FilterRegistrationBean<AccessLog> accessLog() {
		FilterRegistrationBean<AccessLog> registration = new FilterRegistrationBean<>(new AccessLog());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	/** Tomcat's own refusals (before Spring) answer JSON too. */
	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonTomcatErrors() {
		return (factory) -> factory.addContextCustomizers((context) -> {
			if (context.getParent() instanceof StandardHost host) {
				host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
			}
		});
	}

	@Bean
	JsonBodies jsonBodies(WebProperties properties) {
		return new JsonBodies(properties.maxBodyBytes(), properties.maxStringLength());
	}

	@Bean
	Functions functions(FunctionCatalog catalog) {
		return new Functions(catalog);
	}

	@Bean
	BuildInfoMetric buildInfoMetric(ObjectProvider<BuildProperties> build,
			@Value("${IMAGE_TAG:dev}") String imageTag) {
		BuildProperties properties = build.getIfAvailable();
		return new BuildInfoMetric((properties != null) ? properties.getVersion() : "unknown", imageTag);
	}

}
