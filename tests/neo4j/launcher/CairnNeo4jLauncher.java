import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.Config;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.config.Setting;
import org.neo4j.internal.helpers.HostnamePort;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * A Neo4j Community DBMS for Cairn's tests and benchmark, run in this JVM with its
 * Bolt connector on 127.0.0.1 and authentication disabled.
 *
 * <p>Usage: {@code CairnNeo4jLauncher HOME PORT PAGECACHE_MB [NAME=VALUE ...]}; the
 * optional arguments are further Neo4j settings, by their names in neo4j.conf. The database lives
 * under HOME; PORT 0 lets the operating system pick a free port, so several servers
 * (one per pytest-xdist worker) never race for one. Once the default database
 * answers, the Bolt URI is written to HOME/bolt.uri (atomically) and printed. SIGTERM
 * or SIGINT runs the shutdown hook, which shuts the DBMS down cleanly.
 */
public final class CairnNeo4jLauncher {

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: CairnNeo4jLauncher HOME PORT PAGECACHE_MB [NAME=VALUE ...]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        long pageCacheMb = Long.parseLong(args[2]);
        Map<String, String> extra = new HashMap<>();
        for (int i = 3; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                System.err.println("not a setting NAME=VALUE: " + args[i]);
                System.exit(2);
            }
            extra.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }

        SocketAddress bolt = new SocketAddress("127.0.0.1", port);
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, bolt)
                .setConfig(BoltConnector.advertised_address, bolt)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
                // Recovery needs only the logs since the last checkpoint; older ones just fill the disk.
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                // Bolt waits 5 s twice on shutdown for clients a test server no longer has.
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(parsed(extra))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                dbms.shutdown();
                System.out.println("neo4j stopped");
            } finally {
                stopped.countDown();
            }
        }, "cairn-neo4j-shutdown"));

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        db.executeTransactionally("RETURN 1");

        GraphDatabaseAPI system = (GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        HostnamePort bound = system.getDependencyResolver()
                .resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT);
        String uri = "bolt://127.0.0.1:" + bound.getPort();
        writeAtomically(home.resolve("bolt.uri"), uri + "\n");
        System.out.println("NEO4J_READY " + uri);
        System.out.flush();

        stopped.await();
    }

    /** The settings {@code raw} (name to text, as in neo4j.conf) parsed by Neo4j; an unknown name is an error. */
    private static Map<Setting<?>, Object> parsed(Map<String, String> raw) {
        Config config;
        try {
            config = Config.newBuilder().setRaw(raw).build();
        } catch (IllegalArgumentException e) {
            System.err.println("invalid Neo4j setting in NEO4J_TEST_SETTINGS: " + e.getMessage());
            System.exit(2);
            throw e;
        }
        Map<Setting<?>, Object> settings = new HashMap<>();
        for (String name : raw.keySet()) {
            Setting<Object> setting = config.getSetting(name);
            settings.put(setting, config.get(setting));
        }
        return settings;
    }

    private static void writeAtomically(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
