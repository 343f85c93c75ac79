package io.github.ec2spotter.cli.startup;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
import org.slf4j.Logger;

/**
 * Logback's configuration, in code rather than a {@code logback.xml}: reading the XML file pulls
 * in an XML parser and logback's configuration model, about 0.15 s and 10 MB of every run of the
 * bare jar. Found by logback through {@code META-INF/services}.
 *
 * <p>Diagnostics only, on stderr, at WARN ({@code -v} lowers some loggers, see {@link Verbosity});
 * results and progress are printed by the commands themselves.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    /**
     * Control characters in a message or a trace (an endpoint's answer can carry them) never reach
     * the terminal raw: each becomes {@code ?}.
     */
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0}: "
            + "%replace(%msg%n%ex){'[\\p{Cc}&&[^\\t\\n]]', '?'}%nopex";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        // Logback's own status messages would reach stderr when something is off; they say
        // nothing a user can act on.
        context.getStatusManager().add(new NopStatusListener());

        StderrOnFirstEvent stderr = new StderrOnFirstEvent();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.start();

        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * The stderr appender, made when the first event reaches it: most runs log nothing, and making
     * it (compiling the pattern, reading the time zone for its timestamps) costs some 0.03 s of
     * every run. {@link AppenderBase#doAppend} holds the lock while it is made.
     */
    private static final class StderrOnFirstEvent extends AppenderBase<ILoggingEvent> {
        private ConsoleAppender<ILoggingEvent> stderr;

        @Override
        protected void append(ILoggingEvent event) {
            if (stderr == null) {
                stderr = stderr(getContext());
            }
            stderr.doAppend(event);
        }

        private static ConsoleAppender<ILoggingEvent> stderr(Context context) {
            PatternLayoutEncoder encoder = new PatternLayoutEncoder();
            encoder.setContext(context);
            encoder.setPattern(PATTERN);
            encoder.start();

            ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
            stderr.setContext(context);
            stderr.setName("STDERR");
            stderr.setTarget("System.err");
            stderr.setEncoder(encoder);
            stderr.start();
            return stderr;
        }
    }
}
