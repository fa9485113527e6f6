//DEPS com.nimbusds:nimbus-jose-jwt:10.4
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

/**
 * The local stand-in for the cluster's ServiceAccount token issuer, shared by scripts/dev.java, bench.java and e2e.java
 * (pull it in with {@code //SOURCES lib/LocalIssuer.java}): a fresh EC key per run, its public JWK set in
 * {@code <dir>/jwks.json} for db, and for each caller a token file {@code <dir>/<account>.token} with the same
 * claims Kubernetes puts in a projected token (subject {@code system:serviceaccount:music:<account>}, audience
 * {@code db}), refreshed by {@link #writeToken} like kubelet does. db checks these exactly as it checks the
 * cluster's: the same code path, only the keys differ. Token files are readable by their owner only.
 */
final class LocalIssuer {

    static final String ISSUER = "music-local-issuer";
    static final String AUDIENCE = "db";
    static final String NAMESPACE = "music";
    /** Tokens live an hour; callers re-read the file, and the issuer writes a new one well before that. */
    static final Duration TTL = Duration.ofHours(1);
    static final Duration REFRESH = Duration.ofMinutes(10);

    private final ECKey key;
    private final Path dir;

    private LocalIssuer(ECKey key, Path dir) {
        this.key = key;
        this.dir = dir;
    }

    /** A new key, and its public JWK set written to {@code dir/jwks.json}. */
    static LocalIssuer create(Path dir) {
        LocalIssuer issuer = new LocalIssuer(newKey(), dir);
        try {
            Files.createDirectories(dir);
            Files.writeString(issuer.jwks(), issuer.jwksJson());
            return issuer;
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write the local issuer's key set in " + dir, ex);
        }
    }

    /** A new key that writes no files (e2e.java puts the key set and the tokens into the containers itself). */
    static LocalIssuer inMemory() {
        return new LocalIssuer(newKey(), null);
    }

    private static ECKey newKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint(true).generate();
        } catch (JOSEException ex) {
            throw new IllegalStateException("cannot generate the local issuer's key", ex);
        }
    }

    /** The public JWK set, as text. */
    String jwksJson() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    /** The public JWK set db trusts (DB_CALLER_JWKS_URI=file:...). */
    Path jwks() {
        return dir.resolve("jwks.json");
    }

    Path tokenFile(String account) {
        return dir.resolve(account + ".token");
    }

    /** A token for ServiceAccount {@code account} of namespace music, audience db. */
    String token(String account) {
        return token(NAMESPACE, account, AUDIENCE);
    }

    /** A token like kubelet projects for ServiceAccount {@code account} of {@code namespace}, for {@code audience}. */
    String token(String namespace, String account, String audience) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(audience)
                .subject("system:serviceaccount:" + namespace + ":" + account)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(TTL)))
                .jwtID(UUID.randomUUID().toString()).build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException ex) {
            throw new IllegalStateException("cannot sign a token for " + account, ex);
        }
    }

    /** Writes (or replaces, in one rename) {@code account}'s token file, mode 600. */
    Path writeToken(String account) {
        Path file = tokenFile(account);
        writePrivate(file, token(account));
        return file;
    }

    /** s1's signing key for the local stack: an EC P-256 key in PKCS#8 PEM, made once and kept, so tokens outlive a restart. */
    static Path signingKey(Path file) {
        if (Files.isRegularFile(file)) {
            return file;
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            byte[] der = generator.generateKeyPair().getPrivate().getEncoded();
            writePrivate(file, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                    + "\n-----END PRIVATE KEY-----\n");
            return file;
        } catch (java.security.GeneralSecurityException ex) {
            throw new IllegalStateException("cannot make an EC P-256 key", ex);
        }
    }

    static void writePrivate(Path file, String content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, content);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
    }
}
