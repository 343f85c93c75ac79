package io.github.ec2spotter.ops;

import java.util.List;

/** What a looking use case found, in both of {@code --output}'s forms. */
public interface Report {
    /** One JSON document, for scripts. */
    String json();

    /** Table and sentences, for people. */
    List<String> lines();
}
