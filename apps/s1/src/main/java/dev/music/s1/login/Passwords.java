package dev.music.s1.login;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.music.common.InvalidInput;
import dev.music.common.Unavailable;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Passwords as Argon2id hashes (spring-security-crypto, OWASP's first choice). A hash costs about 16 MB and some
 * tens of milliseconds, so only {@code concurrency} run at once; the rest wait briefly or get 503 instead of
 * exhausting the heap. Logging in as an unknown user or one without a password costs a hash too, so timing does not
 * tell which user ids exist. Neither a password nor a hash is ever logged.
 */
public final class Passwords {

	public static final int MIN_LENGTH = 10;

	public static final int MAX_LENGTH = 128;

	private final Argon2PasswordEncoder encoder = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();

	private final Semaphore slots;

	private final String dummyHash;

	public Passwords(int concurrency) {
		this.slots = new Semaphore(concurrency, true);
		this.dummyHash = this.encoder.encode("not-a-password-of-anyone");
	}

	/** The password as the caller sent it, or {@link InvalidInput} when it is too short or too long. */
	public static String check(String password) {
		if (password == null || password.length() < MIN_LENGTH || password.length() > MAX_LENGTH) {
			throw new InvalidInput("field 'password' must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters");
		}
		return password;
	}

	public String hash(String password) {
		return limited(() -> this.encoder.encode(password));
	}

	/** {@code true} only when {@code hash} is present and is the hash of {@code password}. */
	public boolean matches(String password, String hash) {
		boolean known = hash != null && password != null;
		boolean ok = limited(() -> this.encoder.matches((password != null) ? password : "", known ? hash : this.dummyHash));
		return known && ok;
	}

	private <T> T limited(java.util.function.Supplier<T> work) {
		try {
			if (!this.slots.tryAcquire(5, TimeUnit.SECONDS)) {
				throw new Unavailable("password checks busy: all " + this.slots.availablePermits() + " slots in use", null);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new Unavailable("password checks busy: interrupted", ex);
		}
		try {
			return work.get();
		}
		finally {
			this.slots.release();
		}
	}

}
