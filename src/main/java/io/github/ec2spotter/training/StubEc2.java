package io.github.ec2spotter.training;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for EC2 on a loopback port, answering the Query API calls of {@code launch} with
 * fixed XML. It exists so that a class-data cache can be built by running the real launch code
 * (conf, plan, SDK client, request marshalling, response parsing) without any AWS account or
 * network: every answer describes one consistent, made-up world.
 */
public final class StubEc2 implements AutoCloseable {
    public static final String VOLUME_NAME = "spotter";
    public static final String ZONE = "us-east-1a";
    public static final String IMAGE_ID = "ami-0123456789abcdef0";
    public static final String SPOT_REQUEST_ID = "sir-0123456789abcdef0";
    static final String VOLUME_ID = "vol-0123456789abcdef0";
    /** The instance the volume was last attached to; it is terminated, so launch goes ahead. */
    static final String OLD_INSTANCE_ID = "i-0123456789abcdef0";

    private static final String NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";

    /** The instance that fulfils the stub's spot request. */
    static final String NEW_INSTANCE_ID = "i-0fedcba9876543210";

    private final HttpServer server;
    private final List<String> actions = new CopyOnWriteArrayList<>();
    /** Like EC2, the stub lists the spot request only once it has been made. */
    private volatile boolean requested;

    private StubEc2(HttpServer server) {
        this.server = server;
    }

    /** Starts the stub on 127.0.0.1 on a port the kernel picks. */
    public static StubEc2 start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        StubEc2 stub = new StubEc2(server);
        server.createContext("/", stub::answer);
        server.start();
        return stub;
    }

    /** The URL to give the EC2 client as its endpoint. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The actions received so far, in order ({@code DryRun} calls marked with a {@code +DryRun} suffix). */
    public List<String> actions() {
        return List.copyOf(actions);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> params = formParams(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            String action = params.getOrDefault("Action", "");
            boolean dryRun = "true".equals(params.get("DryRun"));
            actions.add(dryRun ? action + "+DryRun" : action);
            int status = 200;
            String xml;
            if (dryRun) {
                status = 412;
                xml = error("DryRunOperation", "Request would have succeeded, but DryRun flag is set.");
            } else {
                xml = switch (action) {
                    case "DescribeVolumes" -> describeVolumes();
                    case "DescribeInstances" -> describeInstances();
                    case "DescribeImages" -> describeImages();
                    case "DescribeSpotInstanceRequests" -> describeSpotInstanceRequests(requested);
                    case "DescribeSpotPriceHistory" -> describeSpotPriceHistory();
                    case "RequestSpotInstances" -> {
                        requested = true;
                        yield requestSpotInstances();
                    }
                    default -> null;
                };
                if (xml == null) {
                    status = 400;
                    xml = error("InvalidAction", "The stub does not answer " + action);
                }
            }
            byte[] body = xml.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static Map<String, String> formParams(String body) {
        Map<String, String> params = new java.util.HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static String response(String action, String content) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + action + "Response xmlns=\"" + NAMESPACE + "\">"
                + "<requestId>00000000-0000-4000-8000-000000000000</requestId>" + content + "</" + action + "Response>";
    }

    private static String error(String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + code + "</Code><Message>"
                + message + "</Message></Error></Errors><RequestID>00000000-0000-4000-8000-000000000000</RequestID>"
                + "</Response>";
    }

    private static String describeVolumes() {
        return response("DescribeVolumes", "<volumeSet><item>"
                + "<volumeId>" + VOLUME_ID + "</volumeId><size>20</size><snapshotId/>"
                + "<availabilityZone>" + ZONE + "</availabilityZone><status>available</status>"
                + "<createTime>2026-01-01T00:00:00.000Z</createTime>"
                + "<attachmentSet><item><volumeId>" + VOLUME_ID + "</volumeId><instanceId>" + OLD_INSTANCE_ID
                + "</instanceId><device>/dev/sdf</device><status>detached</status>"
                + "<attachTime>2026-01-01T00:00:00.000Z</attachTime><deleteOnTermination>false</deleteOnTermination>"
                + "</item></attachmentSet>"
                + "<volumeType>gp3</volumeType><iops>3000</iops><throughput>125</throughput><encrypted>false</encrypted>"
                + "<tagSet><item><key>Name</key><value>" + VOLUME_NAME + "</value></item></tagSet>"
                + "</item></volumeSet>");
    }

    private static String describeInstances() {
        return response("DescribeInstances", "<reservationSet><item><reservationId>r-0123456789abcdef0</reservationId>"
                + "<ownerId>123456789012</ownerId><groupSet/><instancesSet><item>"
                + "<instanceId>" + OLD_INSTANCE_ID + "</instanceId><imageId>" + IMAGE_ID + "</imageId>"
                + "<instanceState><code>48</code><name>terminated</name></instanceState>"
                + "<instanceType>g4dn.xlarge</instanceType><launchTime>2026-01-01T00:00:00.000Z</launchTime>"
                + "<placement><availabilityZone>" + ZONE + "</availabilityZone></placement>"
                + "<instanceLifecycle>spot</instanceLifecycle><spotInstanceRequestId>" + SPOT_REQUEST_ID
                + "</spotInstanceRequestId><tagSet/></item></instancesSet></item></reservationSet>");
    }

    private static String describeImages() {
        return response("DescribeImages", "<imagesSet><item><imageId>" + IMAGE_ID + "</imageId>"
                + "<name>debian-12-amd64</name><imageState>available</imageState><architecture>x86_64</architecture>"
                + "<rootDeviceType>ebs</rootDeviceType><rootDeviceName>/dev/xvda</rootDeviceName>"
                + "<blockDeviceMapping><item><deviceName>/dev/xvda</deviceName><ebs>"
                + "<snapshotId>snap-0123456789abcdef0</snapshotId><volumeSize>8</volumeSize>"
                + "<deleteOnTermination>true</deleteOnTermination><volumeType>gp3</volumeType>"
                + "</ebs></item></blockDeviceMapping></item></imagesSet>");
    }

    private static String requestSpotInstances() {
        return response("RequestSpotInstances", "<spotInstanceRequestSet><item>"
                + "<spotInstanceRequestId>" + SPOT_REQUEST_ID + "</spotInstanceRequestId><spotPrice>0.42</spotPrice>"
                + "<type>persistent</type><state>open</state>"
                + "<status><code>pending-evaluation</code><updateTime>2026-01-01T00:00:00.000Z</updateTime>"
                + "<message>Your Spot request has been submitted for review, and is pending evaluation.</message></status>"
                + "<launchSpecification><imageId>" + IMAGE_ID + "</imageId><instanceType>g4dn.xlarge</instanceType>"
                + "<placement><availabilityZone>" + ZONE + "</availabilityZone></placement></launchSpecification>"
                + "<createTime>2026-01-01T00:00:00.000Z</createTime>"
                + "<instanceInterruptionBehavior>terminate</instanceInterruptionBehavior>"
                + "<tagSet><item><key>Name</key><value>" + VOLUME_NAME + "</value></item></tagSet>"
                + "</item></spotInstanceRequestSet>");
    }

    private static String describeSpotInstanceRequests(boolean requested) {
        if (!requested) {
            return response("DescribeSpotInstanceRequests", "<spotInstanceRequestSet/>");
        }
        return response("DescribeSpotInstanceRequests", "<spotInstanceRequestSet><item>"
                + "<spotInstanceRequestId>" + SPOT_REQUEST_ID + "</spotInstanceRequestId><spotPrice>0.42</spotPrice>"
                + "<type>persistent</type><state>active</state>"
                + "<status><code>fulfilled</code><updateTime>2026-01-01T00:01:00.000Z</updateTime>"
                + "<message>Your spot request is fulfilled.</message></status>"
                + "<launchSpecification><imageId>" + IMAGE_ID + "</imageId><instanceType>g4dn.xlarge</instanceType>"
                + "<placement><availabilityZone>" + ZONE + "</availabilityZone></placement></launchSpecification>"
                + "<instanceId>" + NEW_INSTANCE_ID + "</instanceId>"
                + "<createTime>2026-01-01T00:00:00.000Z</createTime><launchedAvailabilityZone>" + ZONE
                + "</launchedAvailabilityZone><instanceInterruptionBehavior>terminate</instanceInterruptionBehavior>"
                + "<tagSet><item><key>Name</key><value>" + VOLUME_NAME + "</value></item>"
                + "<item><key>ec2spotter:volume</key><value>" + VOLUME_ID + "</value></item></tagSet>"
                + "</item></spotInstanceRequestSet>");
    }

    private static String describeSpotPriceHistory() {
        return response("DescribeSpotPriceHistory", "<spotPriceHistorySet><item><instanceType>g4dn.xlarge</instanceType>"
                + "<productDescription>Linux/UNIX</productDescription><spotPrice>0.215800</spotPrice>"
                + "<timestamp>2026-01-01T00:00:00.000Z</timestamp><availabilityZone>" + ZONE + "</availabilityZone>"
                + "</item></spotPriceHistorySet>");
    }
}
