package dev.music.db.caller;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import com.nimbusds.jose.util.DefaultResourceRetriever;

/**
 * Fetches the callers' key set: a {@code file:} URL as it is; https with the cluster's CA and db's own
 * ServiceAccount token as the bearer (read on every fetch, since kubelet rotates it). Short timeouts, 64 KiB at most.
 */
final class KeySetRetriever extends DefaultResourceRetriever {

	private final Path tokenFile;

	KeySetRetriever(String tokenFile, String caFile) {
		super(2000, 3000, 64 * 1024, true, socketFactory(caFile));
		this.tokenFile = tokenFile.isBlank() ? null : Path.of(tokenFile);
	}

	@Override
	protected HttpURLConnection openHTTPConnection(URL url) throws IOException {
		HttpURLConnection connection = super.openHTTPConnection(url);
		if (this.tokenFile != null) {
			String token = Files.readString(this.tokenFile, StandardCharsets.UTF_8).strip();
			connection.setRequestProperty("Authorization", "Bearer " + token);
		}
		return connection;
	}

	private static SSLSocketFactory socketFactory(String caFile) {
		if (caFile.isBlank()) {
			return null;
		}
		try (InputStream in = Files.newInputStream(Path.of(caFile))) {
			KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
			trust.load(null, null);
			int i = 0;
			for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
				trust.setCertificateEntry("ca-" + i++, certificate);
			}
			TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			factory.init(trust);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, factory.getTrustManagers(), null);
			return context.getSocketFactory();
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalStateException("DB_CALLER_JWKS_CA_FILE " + caFile + " is not a readable PEM CA bundle: "
					+ ex.getMessage(), ex);
		}
	}

}
