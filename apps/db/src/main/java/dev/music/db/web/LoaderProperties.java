package dev.music.db.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param token the password of the {@code svc-loader} user on {@code /load} ({@code DB_LOADER_TOKEN}); when
 * empty, {@code /load} refuses every call
 */
@ConfigurationProperties("loader")
public record LoaderProperties(@DefaultValue("") String token) {
}
