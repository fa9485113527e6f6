package dev.music.common.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on what a caller may send.
 *
 * @param maxBodyBytes largest accepted request body ({@code API_MAX_BODY_BYTES}); larger bodies get 413
 * @param maxStringLength longest accepted string field ({@code API_MAX_STRING_LENGTH}); longer get 400
 */
@ConfigurationProperties("api")
public record WebProperties(@DefaultValue("16384") int maxBodyBytes, @DefaultValue("512") int maxStringLength) {
}
