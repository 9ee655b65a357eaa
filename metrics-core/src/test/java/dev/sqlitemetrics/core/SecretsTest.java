package dev.sqlitemetrics.core;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** No secret of a server's URL reaches a printed config, a message or a stack trace, the driver's included. */
class SecretsTest {
    private static final String SECRET = "hunter2-s3cret";

    @Test
    void everySecretParameterAndTheUserInfoAreMasked() {
        PostgresConfig config = PostgresConfig.builder("jdbc:postgresql://me:" + SECRET + "@db.example:5432/metrics"
                + "?sslpassword=" + SECRET + "&ssl=true&password=" + SECRET + "&apiToken=" + SECRET
                + "&clientSecret=" + SECRET).password(SECRET).build();
        assertThat(config.toString()).doesNotContain(SECRET).contains("sslpassword=******").contains("ssl=true")
                .contains("apiToken=******").contains("clientSecret=******").contains("me:******@"
                        .replace("me:", "")).contains("db.example:5432/metrics");
        assertThat(config.database()).doesNotContain(SECRET);
    }

    @Test
    void aUrlTheDriverRefusesIsReportedWithoutItsSecrets() {
        PostgresConfig config = PostgresConfig.builder("jdbc:postgresql://127.0.0.1:5x5/metrics?password=" + SECRET
                + "&sslpassword=" + SECRET).retry(Retry.defaults().withDeadline(Duration.ofSeconds(1))).build();
        Throwable thrown = catchThrowable(() -> MetricsRecorder.open(config).close());
        assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5x5");
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(SECRET);
    }
}
