package newsflow.es;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.NewsflowClasspathNode;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.transport.netty4.Netty4Plugin;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Foreground launcher for a single-node Elasticsearch built from Maven Central jars.
 *
 * <pre>java -cp lib/*:classes newsflow.es.NewsflowNode DATA_DIR [HTTP_PORT [TRANSPORT_PORT [KEY=VALUE...]]]</pre>
 *
 * KEY=VALUE arguments override the single-node defaults below (cluster mode passes node.name,
 * discovery.type=multi-node, discovery.seed_hosts, cluster.initial_master_nodes, node.roles).
 * Layout under DATA_DIR: config/ (log4j2.properties, copied from the classpath), data/ (indices), logs/.
 * Runs until SIGTERM/SIGINT; the shutdown hook closes the node so Lucene commits and the lock is released.
 * A startup failure (port in use, data dir locked by another node, ...) is printed to stderr and exits 1.
 */
public final class NewsflowNode {
    private NewsflowNode() {}

    public static void main(String[] args) {
        // LogConfigurator redirects System.out/err into log4j; keep the real stderr for fatal errors
        PrintStream stderr = System.err;
        if (args.length < 1) {
            stderr.println("usage: NewsflowNode DATA_DIR [HTTP_PORT [TRANSPORT_PORT [KEY=VALUE...]]]");
            System.exit(2);
        }
        Node node = null;
        try {
            node = createNode(args);
            CountDownLatch stopped = new CountDownLatch(1);
            Node n = node;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> close(n, stderr, stopped), "newsflow-es-shutdown"));
            node.start();
            stopped.await();
        } catch (Throwable t) {
            stderr.println("newsflow-es: fatal error while starting the node: " + t);
            t.printStackTrace(stderr);
            stderr.flush();
            // halt, not exit: a half-started node has non-daemon threads and closing it may block; the
            // node lock is released by the OS and the translog keeps acknowledged writes durable.
            Runtime.getRuntime().halt(1);
        }
    }

    private static void close(Node node, PrintStream stderr, CountDownLatch stopped) {
        try {
            node.prepareForClose();
            node.close();
            if (node.awaitClose(10, TimeUnit.SECONDS) == false) {
                stderr.println("newsflow-es: node did not close within 10s");
            }
        } catch (Throwable e) {
            e.printStackTrace(stderr);
        } finally {
            stopped.countDown();
            org.apache.logging.log4j.LogManager.shutdown();
        }
    }

    private static Node createNode(String[] args) throws Exception {
        Path home = Path.of(args[0]).toAbsolutePath().normalize();
        String httpPort = args.length > 1 ? args[1] : "9200";
        String transportPort = args.length > 2 ? args[2] : "9300";
        boolean console = Boolean.parseBoolean(System.getProperty("newsflow.es.console", "true"));

        Path config = home.resolve("config");
        Files.createDirectories(config);
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("logs"));
        try (InputStream in = NewsflowNode.class.getResourceAsStream("/log4j2.properties")) {
            if (in == null) {
                throw new IllegalStateException("log4j2.properties missing from the classpath");
            }
            Files.copy(in, config.resolve("log4j2.properties"), StandardCopyOption.REPLACE_EXISTING);
        }

        Settings.Builder builder = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("cluster.name", "newsflow")
            .put("node.name", "newsflow-es")
            .put("discovery.type", "single-node")
            .put("network.host", "127.0.0.1")
            .put("http.port", httpPort)
            .put("transport.port", transportPort)
            .put("cluster.routing.allocation.disk.threshold_enabled", false);
        for (int i = 3; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected KEY=VALUE, got " + args[i]);
            }
            String key = args[i].substring(0, eq);
            String value = args[i].substring(eq + 1);
            if (value.contains(",")) {
                builder.putList(key, value.split(","));
            } else {
                builder.put(key, value);
            }
        }
        Settings settings = builder.build();
        String nodeName = settings.get("node.name");

        Environment env = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), config, () -> nodeName);
        LogConfigurator.setNodeName(nodeName);
        LogConfigurator.setClusterName("newsflow");
        LogConfigurator.configure(env, console);

        List<Class<? extends Plugin>> plugins = List.of(Netty4Plugin.class, NewsflowPlugin.class);
        return new NewsflowClasspathNode(env, plugins);
    }
}
