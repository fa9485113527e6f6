package dev.music.s2.exercise;

import java.util.Map;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The find-the-bug exercise (see apps/s2/README.md). s2 logs its unique code at start-up; {@code checkCode}
 * compares it with {@link #EXPECTED_CODE} and fails while they differ. The fix is to put the logged code into
 * {@link #EXPECTED_CODE}, push, and let the pipeline deploy it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ExerciseProperties.class)
public class ExerciseFunctions {

	private static final Logger log = LoggerFactory.getLogger(ExerciseFunctions.class);

	/** The code this build expects. It is wrong on purpose: finding and fixing it is the exercise. */
	static final String EXPECTED_CODE = "3f1d0c9a7b2e4d5f8a6c1e0b9d7f2a4c6e8b0d1f3a5c7e9b2d4f6a8c0e1b3d5f";

	@Bean
	Supplier<Map<String, String>> checkCode(ExerciseProperties exercise) {
		String code = UniqueCode.of(exercise.owner(), exercise.id());
		log.info("Unique code: {}", code);
		return () -> compare(code, EXPECTED_CODE, exercise);
	}

	static Map<String, String> compare(String code, String expected, ExerciseProperties exercise) {
		if (!expected.equals(code)) {
			throw new IllegalStateException("Unique code " + code + " does not match the expected code " + expected
					+ " (owner '" + exercise.owner() + "', exercise '" + exercise.id() + "')");
		}
		return Map.of();
	}

}
