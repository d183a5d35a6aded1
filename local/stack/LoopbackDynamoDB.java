import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * Runs DynamoDB Local's own ServerRunner, locked to this machine (docs/local-mode-security.md).
 *
 * <p>DynamoDB Local has no bind-address option: its Jetty server is built with {@code new Server(port)},
 * which listens on every interface. This launcher lets ServerRunner parse the arguments and build the
 * server as usual, then, before it starts, (1) binds its connector to 127.0.0.1 only and (2) puts a
 * handler in front that answers 403 to any request whose Host header is not a loopback name, so a web
 * page that rebinds its DNS name to 127.0.0.1 cannot write to the tables either.
 *
 * <p>Usage (local/stack/loopback.ts compiles it once into the cache):
 * {@code java -cp 'classes:jars/*' LoopbackDynamoDB com.amazonaws.services.dynamodbv2.local.main.ServerRunner
 * -port 8000 ...}. The first argument names the class being wrapped so the process's command line still
 * carries it (the stack recognises its own process by that marker); the rest are ServerRunner's.
 *
 * <p>It fails closed: if a DynamoDB Local upgrade changes the internals it reaches into, it exits with a
 * message instead of starting a server that listens on every interface.
 */
public final class LoopbackDynamoDB {
  /** The same rule as local/server.ts: localhost, 127.0.0.0/8 or [::1], each with an optional port. */
  static final Pattern LOOPBACK_HOST =
      Pattern.compile(
          "^(?:localhost|127(?:\\.(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}|\\[::1\\])(?::(\\d{1,5}))?$",
          Pattern.CASE_INSENSITIVE);

  private LoopbackDynamoDB() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !args[0].equals(ServerRunner.class.getName())) {
      fail("the first argument must be " + ServerRunner.class.getName());
    }
    DynamoDBProxyServer proxy =
        ServerRunner.createServerFromCommandLineArgs(Arrays.copyOfRange(args, 1, args.length));
    Server jetty = jettyOf(proxy);
    List<Connector> connectors = Arrays.asList(jetty.getConnectors());
    if (connectors.isEmpty()) fail("its Jetty server has no connector");
    for (Connector connector : connectors) {
      if (!(connector instanceof ServerConnector network)) {
        fail("its connector is a " + connector.getClass().getName() + ", not a ServerConnector");
        return;
      }
      network.setHost("127.0.0.1");
    }
    jetty.insertHandler(new LoopbackHostsOnly());
    proxy.start();
  }

  /** DynamoDBProxyServer keeps its Jetty server in a private field; it is found by type, not name. */
  private static Server jettyOf(DynamoDBProxyServer proxy) throws IllegalAccessException {
    for (Field field : DynamoDBProxyServer.class.getDeclaredFields()) {
      if (field.getType() == Server.class) {
        field.setAccessible(true);
        return (Server) field.get(proxy);
      }
    }
    fail("DynamoDBProxyServer has no Jetty Server field");
    return null;
  }

  private static void fail(String why) {
    System.err.println(
        "LoopbackDynamoDB: cannot bind DynamoDB Local to 127.0.0.1 (" + why + "); refusing to start it "
            + "listening on every interface. A DynamoDB Local upgrade may have changed its internals: "
            + "see local/stack/LoopbackDynamoDB.java.");
    System.exit(2);
  }

  /** True for a Host header naming this machine's loopback (DNS-rebinding defence). */
  static boolean isLoopbackHost(String host) {
    if (host == null) return false;
    var match = LOOPBACK_HOST.matcher(host);
    return match.matches() && (match.group(1) == null || Integer.parseInt(match.group(1)) <= 65535);
  }

  /** Answers 403 in DynamoDB's error shape unless the request's one Host header is a loopback name. */
  static final class LoopbackHostsOnly extends Handler.Wrapper {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      List<String> hosts = request.getHeaders().getValuesList(HttpHeader.HOST);
      if (hosts.size() == 1 && isLoopbackHost(hosts.get(0))) {
        return super.handle(request, response, callback);
      }
      String message =
          "Host header "
              + (hosts.isEmpty() ? "missing" : "'" + String.join(", ", hosts) + "' is not a loopback name")
              + ": the dev stack's DynamoDB Local answers only requests addressed to localhost, "
              + "127.0.0.0/8 or [::1]";
      String body =
          "{\"__type\":\"com.amazonaws.dynamodb.v20120810#AccessDeniedException\",\"message\":"
              + quote(message)
              + "}";
      response.setStatus(403);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-amz-json-1.0");
      response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
      return true;
    }
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    return out.append('"').toString();
  }
}
