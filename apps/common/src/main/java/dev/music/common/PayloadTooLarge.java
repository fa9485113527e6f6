package dev.music.common;

/** The request body is bigger than the configured limit; it was not read past the limit. */
public class PayloadTooLarge extends RuntimeException {

	public PayloadTooLarge(int limitBytes) {
		super("request body is larger than " + limitBytes + " bytes", null, false, false);
	}

}
