import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fake AWS credentials for the scripts under test, through the system properties the SDK's default chain reads
 * first, with the instance metadata service off; {@link #restore()} puts back whatever was there.
 */
final class FakeAwsCredentials {

    private static final List<String> KEYS = List.of("aws.accessKeyId", "aws.secretAccessKey", "aws.sessionToken",
            "aws.region", "aws.disableEc2Metadata", "aws.sharedCredentialsFile", "aws.configFile");

    private final Map<String, String> saved = new LinkedHashMap<>();

    static FakeAwsCredentials install() {
        FakeAwsCredentials fake = new FakeAwsCredentials();
        KEYS.forEach(k -> fake.saved.put(k, System.getProperty(k)));
        System.setProperty("aws.accessKeyId", "AKIDFAKEFORTESTS");
        System.setProperty("aws.secretAccessKey", "fake-secret-for-tests");
        System.setProperty("aws.disableEc2Metadata", "true");
        return fake;
    }

    void restore() {
        saved.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }
}
