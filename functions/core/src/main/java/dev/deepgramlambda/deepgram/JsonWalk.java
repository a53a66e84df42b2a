package dev.deepgramlambda.deepgram;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Walks a streaming JSON parser by field and element, skipping whatever it is not asked for, so a
 * reader of a {@link ListenResponse} names the path it wants and holds nothing else. Every callback
 * gets the parser on a value and must leave it on that value's last token ({@code skipChildren} does).
 */
public final class JsonWalk {
    private JsonWalk() {}

    @FunctionalInterface
    public interface Value {
        void read(JsonParser parser) throws IOException;
    }

    @FunctionalInterface
    public interface Field {
        void read(String name, JsonParser value) throws IOException;
    }

    @FunctionalInterface
    public interface Element {
        void read(int index, JsonParser value) throws IOException;
    }

    /** Each field of the object the parser is on; anything but an object is skipped. */
    public static void fields(JsonParser parser, Field each) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            each.read(name, parser);
        }
    }

    /** The field {@code wanted} of the object the parser is on, if it has one. */
    public static void field(JsonParser parser, String wanted, Value value) throws IOException {
        fields(parser, (name, parsed) -> {
            if (name.equals(wanted)) {
                value.read(parsed);
            } else {
                parsed.skipChildren();
            }
        });
    }

    /** Each element of the array the parser is on; anything but an array is skipped. */
    public static void elements(JsonParser parser, Element each) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return;
        }
        for (int index = 0; parser.nextToken() != JsonToken.END_ARRAY; index++) {
            each.read(index, parser);
        }
    }

    /** The first element of the array the parser is on, if it has one. */
    public static void first(JsonParser parser, Value value) throws IOException {
        elements(parser, (index, element) -> {
            if (index == 0) {
                value.read(element);
            } else {
                element.skipChildren();
            }
        });
    }
}
