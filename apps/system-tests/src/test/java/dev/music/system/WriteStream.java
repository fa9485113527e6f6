package dev.music.system;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.music.common.web.HttpCalls;
import dev.music.common.web.HttpCalls.Answer;

/**
 * A steady stream of song writes through s2, one at a time, each with a unique title, recording what every
 * write was answered and when. Bounded: it stops when asked or after {@link #MAX_WRITES}.
 */
final class WriteStream implements Runnable {

	static final int MAX_WRITES = 5_000;

	/** One write: its title, its answer's status (0: no answer), the id when acknowledged, when it ended. */
	record Write(String title, int status, String id, long endedNanos) {
	}

	private final HttpCalls music;

	private final String[] auth;

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final List<Write> writes = Collections.synchronizedList(new ArrayList<>());

	private final Thread thread = new Thread(this, "write-stream");

	WriteStream(int s2Port, String token) {
		this.music = new HttpCalls(s2Port);
		this.auth = new String[] { "Authorization", "Bearer " + token };
	}

	WriteStream start() {
		this.thread.start();
		return this;
	}

	List<Write> stop() throws InterruptedException {
		this.running.set(false);
		this.thread.join(60_000);
		return List.copyOf(this.writes);
	}

	@Override
	public void run() {
		for (int i = 0; this.running.get() && i < MAX_WRITES; i++) {
			String title = "write-" + i + "-" + System.nanoTime();
			int status;
			String id = null;
			try {
				Answer answer = this.music.send("POST", "/api/v1/music/", "{\"Artist\":\"stream\",\"SongTitle\":\"" + title + "\"}",
						this.auth);
				status = answer.status();
				if (status == 200) {
					id = answer.json().path("music_id").asString();
				}
			}
			catch (RuntimeException ex) {
				status = 0;
			}
			this.writes.add(new Write(title, status, id, System.nanoTime()));
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

}
