package dev.music.common.datastore;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where and how s1 and s2 reach the db service.
 *
 * @param url base URL of the db service ({@code DB_URL})
 * @param connectTimeout time to open a connection ({@code DB_CONNECT_TIMEOUT})
 * @param requestTimeout time for a whole request ({@code DB_REQUEST_TIMEOUT})
 * @param retries extra attempts for a request that was not delivered, or a read that failed ({@code DB_RETRIES})
 * @param tokenFile this service's credential for db, a JWT with audience {@code db} that is kept fresh by kubelet
 * (a projected ServiceAccount token) or scripts/dev.java ({@code DB_TOKEN_FILE})
 */
@ConfigurationProperties("datastore")
public record DatastoreProperties(@DefaultValue("http://localhost:30002") URI url,
		@DefaultValue("PT1S") Duration connectTimeout, @DefaultValue("PT3S") Duration requestTimeout,
		@DefaultValue("2") int retries, @DefaultValue("") String tokenFile) {
}
