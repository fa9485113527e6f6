package dev.music.db.store;

/** db could not prepare its DynamoDB tables at start-up; {@link DynamoFailureAnalyzer} explains it. */
public class DynamoStartupException extends RuntimeException {

	private final String table;

	private final String endpoint;

	private final String credentials;

	DynamoStartupException(String table, DynamoProperties properties, String problem, Throwable cause) {
		super(problem, cause);
		this.table = table;
		this.endpoint = properties.describeEndpoint();
		this.credentials = properties.describeCredentials();
	}

	public String table() {
		return this.table;
	}

	public String endpoint() {
		return this.endpoint;
	}

	public String credentials() {
		return this.credentials;
	}

}
