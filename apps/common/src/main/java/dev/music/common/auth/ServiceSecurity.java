package dev.music.common.auth;

import jakarta.servlet.DispatcherType;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * The security filter chain every service builds the same way: stateless, bearer tokens only (no sessions,
 * cookies, CSRF, forms or Basic), JSON errors, the routes a service names open, the actuator open (it is served
 * only on the management port, which the gateway never routes), everything else authenticated.
 */
public final class ServiceSecurity {

	/** The open routes of a service. */
	public interface OpenRoutes extends
			Customizer<AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry> {

	}

	private ServiceSecurity() {
	}

	/** Bearer tokens checked by {@code decoder}; with {@code compat}, any Authorization header instead. */
	public static SecurityFilterChain chain(HttpSecurity http, JwtDecoder decoder, boolean compat, JsonAuthErrors errors,
			OpenRoutes open) throws Exception {
		http.csrf((c) -> c.disable())
			.sessionManagement((s) -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((r) -> r.disable())
			.httpBasic((b) -> b.disable())
			.formLogin((f) -> f.disable())
			.logout((l) -> l.disable())
			.exceptionHandling((e) -> e.authenticationEntryPoint(errors).accessDeniedHandler(errors))
			.authorizeHttpRequests((a) -> {
				a.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
				open.customize(a);
				a.requestMatchers("/actuator/**").permitAll();
				a.anyRequest().authenticated();
			});
		if (compat) {
			http.addFilterBefore(new CompatAuthentication(), AnonymousAuthenticationFilter.class);
		}
		else {
			http.oauth2ResourceServer((o) -> o.authenticationEntryPoint(errors)
				.accessDeniedHandler(errors)
				.jwt((j) -> j.authenticationManager(manager(decoder))));
		}
		return http.build();
	}

	/** A token that cannot be checked because the keys are out of reach is a 503, not a 401 or a 500. */
	static AuthenticationManager manager(JwtDecoder decoder) {
		JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
		return (authentication) -> {
			try {
				return provider.authenticate(authentication);
			}
			catch (AuthenticationServiceException ex) {
				throw new KeysUnavailable(ex);
			}
		};
	}

}
