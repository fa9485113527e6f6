package dev.music.s1.user;

import dev.music.common.InvalidInput;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NewUserTests {

	@Test
	void keepsTheFieldsInOrder() {
		assertThat(new NewUser("Tina", "Weymouth", "onlytina@tomtomclub.com").fields().keySet())
			.containsExactly("fname", "lname", "email");
	}

	@Test
	void refusesBadFields() {
		assertThatThrownBy(() -> new NewUser("", "W", "a@b")).isInstanceOf(InvalidInput.class).hasMessageContaining("fname");
		assertThatThrownBy(() -> new NewUser("T", null, "a@b")).hasMessageContaining("lname");
		assertThatThrownBy(() -> new NewUser("T", "W", "not-an-email")).hasMessageContaining("email");
		assertThatThrownBy(() -> new NewUser("T".repeat(101), "W", "a@b")).hasMessageContaining("longer than 100");
	}

}
