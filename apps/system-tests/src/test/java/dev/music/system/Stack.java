package dev.music.system;

/**
 * DynamoDB Local, db, s1 and s2 started once for the test classes that only use them; stopped when
 * the test JVM ends. Tests that stop processes start their own.
 */
final class Stack {

	private static Stack running;

	final ServiceProcess dynamoDbLocal;

	final ServiceProcess db;

	final ServiceProcess s1;

	final ServiceProcess s2;

	private Stack() throws Exception {
		this.dynamoDbLocal = AppProcesses.dynamoDbLocal("stack-dynamodb");
		int dbPort = ServiceProcess.freePort();
		int s1Port = ServiceProcess.freePort();
		this.db = ServiceProcess.service("db", dbPort, "/api/v1/datastore", AppProcesses.db(this.dynamoDbLocal.port()))
			.start();
		this.s1 = ServiceProcess.service("s1", s1Port, "/api/v1/user", AppProcesses.s1(dbPort)).start();
		this.s2 = ServiceProcess.service("s2", ServiceProcess.freePort(), "/api/v1/music", AppProcesses.s2(dbPort, s1Port))
			.start();
		Runtime.getRuntime().addShutdownHook(new Thread(this::close));
		this.db.awaitReady(AppProcesses.START);
		this.s1.awaitReady(AppProcesses.START);
		this.s2.awaitReady(AppProcesses.START);
	}

	static synchronized Stack get() throws Exception {
		if (running == null) {
			running = new Stack();
		}
		return running;
	}

	private void close() {
		for (ServiceProcess process : new ServiceProcess[] { this.s2, this.s1, this.db, this.dynamoDbLocal }) {
			try {
				process.close();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
