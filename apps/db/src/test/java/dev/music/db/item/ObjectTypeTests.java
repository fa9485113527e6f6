package dev.music.db.item;

import java.util.Map;

import dev.music.common.InvalidInput;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObjectTypeTests {

	@Test
	void parsesExactlyMusicAndUser() {
		assertThat(ObjectType.parse("music")).isEqualTo(ObjectType.MUSIC);
		assertThat(ObjectType.parse("user")).isEqualTo(ObjectType.USER);
		for (String bad : new String[] { "Music", "users", "", " music", null, "music\u0000" }) {
			assertThatThrownBy(() -> ObjectType.parse(bad)).as(String.valueOf(bad)).isInstanceOf(InvalidInput.class);
		}
	}

	@Test
	void completeItemsNeedEveryField() {
		assertThatNoException().isThrownBy(() -> ObjectType.MUSIC.check(Map.of("Artist", "a", "SongTitle", "t"), true));
		assertThatThrownBy(() -> ObjectType.MUSIC.check(Map.of("Artist", "a"), true)).hasMessageContaining("SongTitle");
		assertThatThrownBy(() -> ObjectType.USER.check(Map.of("fname", "a", "lname", " ", "email", "e"), true))
			.hasMessageContaining("lname");
	}

	@Test
	void changesNeedAtLeastOneKnownField() {
		assertThatNoException().isThrownBy(() -> ObjectType.USER.check(Map.of("email", "e@x"), false));
		assertThatThrownBy(() -> ObjectType.USER.check(Map.of(), false)).hasMessageContaining("at least one");
		assertThatThrownBy(() -> ObjectType.USER.check(Map.of("Artist", "a"), false)).hasMessageContaining("unknown");
	}

}
