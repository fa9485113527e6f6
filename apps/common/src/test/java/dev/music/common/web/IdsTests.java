package dev.music.common.web;

import dev.music.common.InvalidInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdsTests {

	@Test
	void acceptsCanonicalUuidsAndLowersThem() {
		assertThat(Ids.uuid("id", "6ECFAFD0-8A35-4AF6-A9E2-CBD79B3ABEEA")).isEqualTo("6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "1", "../../etc/passwd", "6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea/..",
			"6ecfafd0-8a35-4af6-a9e2-cbd79b3abee", "6ecfafd0x8a35-4af6-a9e2-cbd79b3abeea", "1-1-1-1-1" })
	void refusesAnythingElse(String text) {
		assertThatThrownBy(() -> Ids.uuid("music_id", text)).isInstanceOf(InvalidInput.class)
			.hasMessageStartingWith("music_id must be a UUID");
	}

}
