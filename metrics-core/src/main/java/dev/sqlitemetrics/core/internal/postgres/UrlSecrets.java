package dev.sqlitemetrics.core.internal.postgres;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the secrets of a PostgreSQL JDBC URL out of everything printed: the {@code user:password@}
 * part, and the value of every parameter whose name holds {@code password}, {@code secret} or
 * {@code token} ({@code password}, {@code sslpassword}, ...). Also scrubs those values, and the
 * configured password, from text the driver wrote, which may quote the whole URL. Internal: not
 * part of the API.
 */
public final class UrlSecrets {
    private static final String MASK = "******";
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "([?&;][^=&;?#\\s]*(?:password|secret|token)[^=&;?#\\s]*=)([^&;#\\s]*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern USER_INFO = Pattern.compile("(jdbc:postgresql://)[^/@?\\s]*@");

    private UrlSecrets() {
    }

    /** {@code url} with every secret masked. */
    public static String redact(String url) {
        String withoutParameters = SECRET_PARAMETER.matcher(url).replaceAll("$1" + MASK);
        return USER_INFO.matcher(withoutParameters).replaceAll("$1" + MASK + "@");
    }

    /** The secret values {@code url} holds, and {@code password} when given: what must never be printed. */
    public static List<String> values(String url, String password) {
        List<String> values = new ArrayList<>();
        if (url != null) {
            Matcher parameters = SECRET_PARAMETER.matcher(url);
            while (parameters.find()) {
                values.add(parameters.group(2));
            }
            Matcher userInfo = Pattern.compile("jdbc:postgresql://[^/@?:\\s]*:([^/@?\\s]*)@").matcher(url);
            if (userInfo.find()) {
                values.add(userInfo.group(1));
            }
        }
        if (password != null) {
            values.add(password);
        }
        values.removeIf(String::isEmpty);
        // The longest first, so that a secret holding another is masked whole.
        values.sort(Comparator.comparingInt(String::length).reversed());
        return values;
    }

    /** {@code text} with every URL in it redacted and every one of {@code secrets} masked. */
    public static String scrub(String text, List<String> secrets) {
        if (text == null) {
            return null;
        }
        String scrubbed = redact(text);
        for (String secret : secrets) {
            scrubbed = scrubbed.replace(secret, MASK);
        }
        return scrubbed;
    }
}
