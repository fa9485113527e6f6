package dev.music.common.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/** The web plumbing every service shares: access log, strict JSON bodies, function lookup. */
@AutoConfiguration
@EnableConfigurationProperties(WebProperties.class)
public class WebConfiguration {

	@Bean
	FilterRegistrationBean<AccessLog> accessLog() {
		FilterRegistrationBean<AccessLog> registration = new FilterRegistrationBean<>(new AccessLog());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	@Bean
	JsonBodies jsonBodies(WebProperties properties) {
		return new JsonBodies(properties.maxBodyBytes(), properties.maxStringLength());
	}

	@Bean
	Functions functions(FunctionCatalog catalog) {
		return new Functions(catalog);
	}

}
