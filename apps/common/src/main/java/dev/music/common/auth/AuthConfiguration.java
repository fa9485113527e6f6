package dev.music.common.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Token signing and checking for the services that have users (s1) or protect routes with them (s1, s2). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuthProperties.class)
public class AuthConfiguration {

	private static final Logger log = LoggerFactory.getLogger(AuthConfiguration.class);

	@Bean
	Tokens tokens(AuthProperties properties) {
		return new Tokens(key(properties), properties.issuer(), properties.audience(), properties.tokenTtl(),
				Clock.systemUTC());
	}

	@Bean
	AuthFilter authFilter(Tokens tokens, AuthProperties properties) {
		if (properties.compat()) {
			log.warn("AUTH_COMPAT is on: any non-empty Authorization header is accepted (old course clients)");
		}
		return new AuthFilter(tokens, properties.compat());
	}

	private static byte[] key(AuthProperties properties) {
		if (properties.keyFile().isBlank()) {
			log.warn("AUTH_KEY_FILE is not set: using a random key, so tokens verify only in this process");
			byte[] key = new byte[32];
			new SecureRandom().nextBytes(key);
			return key;
		}
		Path file = Path.of(properties.keyFile());
		try {
			byte[] key = Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
			if (key.length < 32) {
				throw new IllegalStateException("AUTH_KEY_FILE " + file + " holds " + key.length
						+ " bytes; an HS256 key needs at least 32 (generate one with: openssl rand -base64 48)");
			}
			return key;
		}
		catch (IOException ex) {
			throw new IllegalStateException("AUTH_KEY_FILE " + file + " cannot be read: " + ex.getMessage(), ex);
		}
	}

}
