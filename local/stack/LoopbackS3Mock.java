import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.catalina.connector.Connector;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.context.ServletWebServerInitializedEvent;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.Ordered;

/**
 * Locks Adobe's S3Mock to this machine (docs/local-mode-security.md); S3Mock's own main runs it.
 *
 * <p>S3Mock has no bind-address option: {@code S3MockConfiguration} adds a plain Tomcat connector for
 * its HTTP port with only a port set, which listens on every interface, next to Spring Boot's own
 * (HTTPS) connector. Loaded by Spring Boot as a context initializer, this class (1) drops that extra
 * connector and binds Spring Boot's connector, which the stack starts as plain HTTP, to 127.0.0.1;
 * (2) puts a filter in front that answers 403 to any request whose Host header is not a loopback name,
 * so a web page that rebinds its DNS name to 127.0.0.1 cannot read or write objects either.
 *
 * <p>Usage (local/stack/s3mock.ts compiles it once into the cache): {@code java -cp
 * 'classes:s3mock-exec.jar' com.adobe.testing.s3mock.S3MockApplication
 * --context.initializer.classes=LoopbackS3Mock --server.ssl.enabled=false --server.port=9090 ...}.
 *
 * <p>It fails closed: if an S3Mock or Spring Boot upgrade changes what it relies on, startup fails
 * instead of leaving a connector on every interface.
 */
public final class LoopbackS3Mock
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {
  /** The same rule as local/server.ts: localhost, 127.0.0.0/8 or [::1], each with an optional port. */
  static final Pattern LOOPBACK_HOST =
      Pattern.compile(
          "^(?:localhost|127(?:\\.(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}|\\[::1\\])(?::(\\d{1,5}))?$",
          Pattern.CASE_INSENSITIVE);

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    context.getBeanFactory().addBeanPostProcessor(new LoopbackConnectors());
    context.addApplicationListener(
        event -> {
          if (event instanceof ServletWebServerInitializedEvent started) verify(started.getWebServer());
        });
    ((GenericApplicationContext) context)
        .registerBean(
            "loopbackHostsOnly",
            FilterRegistrationBean.class,
            () -> {
              var registration = new FilterRegistrationBean<Filter>(new LoopbackHostsOnly());
              registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
              return registration;
            });
  }

  /** Once S3Mock built its Tomcat factory: its extra connector dropped, the one left on 127.0.0.1. */
  static final class LoopbackConnectors implements BeanPostProcessor {
    @Override
    public Object postProcessAfterInitialization(Object bean, String name) {
      if (bean instanceof TomcatServletWebServerFactory tomcat) {
        tomcat.getAdditionalTomcatConnectors().clear();
        tomcat.setAddress(loopback());
      }
      return bean;
    }
  }

  /** Every connector that started is bound to loopback, or the start fails. */
  static void verify(WebServer server) {
    if (!(server instanceof TomcatWebServer tomcat)) {
      throw refused("its web server is a " + server.getClass().getName() + ", not Tomcat");
    }
    for (Connector connector : tomcat.getTomcat().getService().findConnectors()) {
      if (!(connector.getProperty("address") instanceof InetAddress address)
          || !address.isLoopbackAddress()) {
        throw refused("its connector on port " + connector.getLocalPort() + " is not bound to 127.0.0.1");
      }
    }
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private static IllegalStateException refused(String why) {
    return new IllegalStateException(
        "LoopbackS3Mock: cannot bind S3Mock to 127.0.0.1 ("
            + why
            + "); refusing to run it listening on every interface. An S3Mock upgrade may have changed "
            + "its internals: see local/stack/LoopbackS3Mock.java.");
  }

  /** True for a Host header naming this machine's loopback (DNS-rebinding defence). */
  static boolean isLoopbackHost(String host) {
    if (host == null) return false;
    var match = LOOPBACK_HOST.matcher(host);
    return match.matches() && (match.group(1) == null || Integer.parseInt(match.group(1)) <= 65535);
  }

  /** Answers 403 in S3's error shape unless the request's one Host header is a loopback name. */
  static final class LoopbackHostsOnly implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      List<String> hosts = Collections.list(((HttpServletRequest) request).getHeaders("Host"));
      if (hosts.size() == 1 && isLoopbackHost(hosts.get(0))) {
        chain.doFilter(request, response);
        return;
      }
      String message =
          "Host header "
              + (hosts.isEmpty() ? "missing" : "'" + String.join(", ", hosts) + "' is not a loopback name")
              + ": the dev stack's S3 answers only requests addressed to localhost, 127.0.0.0/8 or [::1]";
      var http = (HttpServletResponse) response;
      http.setStatus(403);
      http.setContentType("application/xml");
      http.getOutputStream()
          .write(
              ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code><Message>"
                      + xml(message)
                      + "</Message></Error>")
                  .getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
