package io.github.ec2spotter.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;

class JsonTest {
    @Test
    void valuesOfEveryKindInOrder() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("s", "text");
        doc.put("n", new BigDecimal("0.00001"));
        doc.put("i", 3);
        doc.put("b", true);
        doc.put("none", null);
        doc.put("empty", Optional.empty());
        doc.put("some", Optional.of("x"));
        doc.put("t", Instant.parse("2026-01-02T03:04:05Z"));
        doc.put("list", List.of(1, "two", List.of()));

        assertEquals("{\"s\":\"text\",\"n\":0.00001,\"i\":3,\"b\":true,\"none\":null,\"empty\":null,\"some\":\"x\","
                + "\"t\":\"2026-01-02T03:04:05Z\",\"list\":[1,\"two\",[]]}", Json.write(doc));
    }

    @Test
    void stringsAreEscapedAndParseBackToTheSameText() {
        String nasty = "quote \" backslash \\ newline \n tab \t nul \u0000 esc \u001b del \u007f ls \u2028 é 🙂";

        String json = Json.write(Map.of("v", nasty));

        assertEquals("{\"v\":\"quote \\\" backslash \\\\ newline \\n tab \\t nul \\u0000 esc \\u001b del \\u007f ls"
                + " \\u2028 é 🙂\"}", json);
        JsonNode parsed = JsonNodeParser.create().parse(json);
        assertEquals(nasty, parsed.asObject().get("v").asString());
    }

    @Test
    void prettyIndentsEachMemberAndElementAndReadsAsTheSameValue() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("a", List.of("x", Map.of("k", "v\"q")));
        doc.put("empty", List.of());
        doc.put("none", Map.of());
        doc.put("n", 1);

        String pretty = Json.pretty(doc);

        assertEquals("""
                {
                  "a": [
                    "x",
                    {
                      "k": "v\\"q"
                    }
                  ],
                  "empty": [],
                  "none": {},
                  "n": 1
                }""", pretty);
        assertEquals(JsonNodeParser.create().parse(Json.write(doc)), JsonNodeParser.create().parse(pretty));
    }
}
