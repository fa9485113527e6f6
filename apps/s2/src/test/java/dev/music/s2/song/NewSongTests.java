package dev.music.s2.song;

import dev.music.common.InvalidInput;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NewSongTests {

	@Test
	void keepsBothFieldsUnderTheirWireNames() {
		assertThat(new NewSong("Gang of Four", "Isle of Dogs").fields()).containsExactly(
				java.util.Map.entry("Artist", "Gang of Four"), java.util.Map.entry("SongTitle", "Isle of Dogs"));
	}

	@Test
	void refusesBlankMissingAndOverlongFields() {
		assertThatThrownBy(() -> new NewSong(null, "t")).isInstanceOf(InvalidInput.class).hasMessageContaining("Artist");
		assertThatThrownBy(() -> new NewSong("a", "  ")).isInstanceOf(InvalidInput.class).hasMessageContaining("SongTitle");
		assertThatThrownBy(() -> new NewSong("a".repeat(201), "t")).hasMessageContaining("longer than 200");
	}

}
