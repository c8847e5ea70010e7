package legalreview;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.transport.Netty4Plugin;

/**
 * A real single-node OpenSearch server, the same engine as the distribution but without its
 * start-up script: the node with its HTTP transport (Netty) and the analysis-common module,
 * whose cjk_width and cjk_bigram filters the register's index uses. HTTP listens on
 * 127.0.0.1 only, where OpenSearch skips the bootstrap checks meant for a production cluster.
 *
 * <p>Arguments: the folder for its data and logs, and the HTTP port. It runs until stopped
 * (SIGTERM closes the node cleanly).
 */
public final class OpenSearchLauncher {

    /** Node's constructor taking plugins from the classpath is protected: the modules that
     * the distribution would load from its modules/ folder are given here instead. */
    private static final class LocalNode extends Node {
        LocalNode(Environment environment) {
            super(environment, List.of(Netty4Plugin.class, CommonAnalysisPlugin.class), true);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: OpenSearchLauncher DATA_DIR HTTP_PORT");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        for (String folder : new String[] {"config", "data", "logs", "plugins", "modules"}) {
            Files.createDirectories(home.resolve(folder));
        }
        Settings settings = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("cluster.name", "legalreview")
            .put("node.name", "legalreview")
            .put("discovery.type", "single-node")
            .put("network.host", "127.0.0.1")
            .put("http.port", port)
            // The node-to-node port is unused by a single node but still bound: keep it off
            // the default 9300, which a developer's own cluster may hold.
            .put("transport.port", (port + 100) + "-" + (port + 199))
            // Tests and benchmarks fill a shared disk; a full-ish disk must not make the
            // index read-only half-way through a run.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("action.destructive_requires_name", true)
            .build();
        LogConfigurator.configureWithoutConfig(settings);
        Environment environment =
            InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "legalreview");
        Node node = new LocalNode(environment);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception error) {
                error.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }));
        node.start();
        System.out.println("OpenSearch " + org.opensearch.Version.CURRENT + " on http://127.0.0.1:" + port);
        stopped.await();
    }
}
