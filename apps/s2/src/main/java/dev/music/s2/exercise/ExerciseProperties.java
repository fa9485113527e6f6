package dev.music.s2.exercise;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The find-the-bug exercise.
 *
 * @param owner the registry owner id, e.g. your GitHub user ({@code EXERCISE_OWNER})
 * @param id the exercise id ({@code EXERCISE_ID})
 */
@ConfigurationProperties("exercise")
public record ExerciseProperties(@DefaultValue("course") String owner, @DefaultValue("find-the-bug") String id) {
}
