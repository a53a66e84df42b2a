package dev.deepgramlambda.cli;

import java.net.URI;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** An option value that must be an absolute http(s) URL, e.g. an emulator's endpoint. */
public final class HttpUrl implements ITypeConverter<URI> {
    @Override
    public URI convert(String value) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("not a valid URL: '" + value + "'");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new TypeConversionException("must be an http(s) URL, got '" + value + "'");
        }
        return uri;
    }
}
