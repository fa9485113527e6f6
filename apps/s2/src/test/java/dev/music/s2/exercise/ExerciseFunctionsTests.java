package dev.music.s2.exercise;

import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ExerciseFunctionsTests {

	@Test
	void uniqueCodeIsSha256OfOwnerThenExercise() {
		// echo -n "coursefind-the-bug" | sha256sum
		assertThat(UniqueCode.of("course", "find-the-bug"))
			.isEqualTo("163c8374ed28e3fafb4ea1edc82de31d0df2ae299c7d9ea2d00a6b21d51b23d6");
		assertThat(UniqueCode.of("alice", "find-the-bug")).isNotEqualTo(UniqueCode.of("bob", "find-the-bug"));
	}

	@Test
	void checkCodeFailsUntilTheExpectedCodeIsFixed() {
		Supplier<Map<String, String>> check = new ExerciseFunctions()
			.checkCode(new ExerciseProperties("course", "find-the-bug"));
		assertThatIllegalStateException().isThrownBy(check::get)
			.withMessageContaining("163c8374ed28e3fafb4ea1edc82de31d0df2ae299c7d9ea2d00a6b21d51b23d6");
	}

	@Test
	void aMatchingCodeAnswersAnEmptyObject() {
		ExerciseProperties exercise = new ExerciseProperties("course", "find-the-bug");
		String code = UniqueCode.of("course", "find-the-bug");
		assertThat(ExerciseFunctions.compare(code, code, exercise)).isEmpty();
		assertThat(ExerciseFunctions.EXPECTED_CODE).hasSize(64).matches("[0-9a-f]+").isNotEqualTo(code);
	}

}
