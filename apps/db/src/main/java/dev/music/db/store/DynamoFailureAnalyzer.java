package dev.music.db.store;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says which table, which endpoint and which credential source were involved when start-up failed. */
class DynamoFailureAnalyzer extends AbstractFailureAnalyzer<DynamoStartupException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DynamoStartupException cause) {
		String description = "db could not prepare DynamoDB table '" + cause.table() + "' at " + cause.endpoint()
				+ " using credentials from " + cause.credentials() + ": " + cause.getMessage()
				+ ((cause.getCause() != null) ? " (" + cause.getCause().getMessage() + ")" : "");
		String action = "Check that DynamoDB answers at that endpoint (DB_DYNAMODB_ENDPOINT: on this machine "
				+ "./jbang scripts/dev.java runs DynamoDB Local on port 8000; empty means AWS), that the region (AWS_REGION) and table names (DB_MUSIC_TABLE, "
				+ "DB_USER_TABLE) are right, and, in AWS, that the pod's IAM role may DescribeTable/CreateTable "
				+ "on the table; or set DB_CREATE_TABLES=false when the tables are managed elsewhere.";
		return new FailureAnalysis(description, action, cause);
	}

}
