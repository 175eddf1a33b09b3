package org.sessiontimer.camel.cluster;

import java.util.Objects;
import java.util.Properties;

/**
 * How this node joins its cluster: JGroups over TCP with a static member list (no multicast), and the timeouts that
 * bound failure detection and store operations.
 *
 * @param clusterName             nodes with the same name form one cluster
 * @param nodeName                this node's name, the owner named in the records of its calls
 * @param bindAddress             the address JGroups binds
 * @param bindPort                the TCP port JGroups binds
 * @param members                 the members to contact, as JGroups writes them: {@code 127.0.0.1[7800],127.0.0.1[7801]}
 * @param failureDetectionMillis  how long a silent member may stay in the view
 * @param storeTimeoutMillis      how long a store operation may wait for a lock or another node
 * @param configFile              an Infinispan XML of the user's, or null for the built-in one
 */
public record ClusterSettings(String clusterName, String nodeName, String bindAddress, int bindPort, String members,
        long failureDetectionMillis, long storeTimeoutMillis, String configFile) {

    public ClusterSettings {
        require(clusterName, "clusterName");
        require(nodeName, "clusterNodeName");
        require(bindAddress, "clusterBindAddress");
        require(members, "clusterMembers");
        if (bindPort < 1 || bindPort > 65535) {
            throw new IllegalArgumentException("clusterBindPort must be 1..65535, was " + bindPort);
        }
        if (failureDetectionMillis < 500) {
            throw new IllegalArgumentException("clusterFailureDetectionTimeout must be >= 500 ms, was "
                                               + failureDetectionMillis);
        }
        if (storeTimeoutMillis < 100) {
            throw new IllegalArgumentException("clusterStoreTimeout must be >= 100 ms, was " + storeTimeoutMillis);
        }
    }

    private static void require(String value, String option) {
        if (Objects.requireNonNullElse(value, "").isBlank()) {
            throw new IllegalArgumentException("option " + option + " must be set to run as a cluster node");
        }
    }

    /** The values of the configuration file's {@code ${session-timer.cluster.*}} placeholders. */
    Properties placeholders() {
        Properties p = new Properties();
        p.setProperty("session-timer.cluster.name", clusterName);
        p.setProperty("session-timer.cluster.node-name", nodeName);
        p.setProperty("session-timer.cluster.bind-address", bindAddress);
        p.setProperty("session-timer.cluster.bind-port", Integer.toString(bindPort));
        p.setProperty("session-timer.cluster.members", members);
        p.setProperty("session-timer.cluster.failure-detection-timeout", failureDetectionMillis + "ms");
        p.setProperty("session-timer.cluster.heartbeat-interval", Math.max(100, failureDetectionMillis / 3) + "ms");
        p.setProperty("session-timer.cluster.store-timeout", Long.toString(storeTimeoutMillis));
        return p;
    }

    /** Where this node listens, for messages that help find a wrong option. */
    String describe() {
        return "node " + nodeName + " of cluster " + clusterName + " on " + bindAddress + "[" + bindPort + "], members "
               + members;
    }
}
