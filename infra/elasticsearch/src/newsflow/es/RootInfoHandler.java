package newsflow.es;

import org.elasticsearch.Build;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.cluster.metadata.Metadata;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.IndexVersion;
import org.elasticsearch.node.Node;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.xcontent.XContentBuilder;

import java.util.List;

/** {@code GET /} and {@code HEAD /}: the node/cluster/version banner the official clients use for info() and ping(). */
final class RootInfoHandler extends BaseRestHandler {
    private final NewsflowPlugin plugin;
    private final String nodeName;

    RootInfoHandler(NewsflowPlugin plugin, Settings settings) {
        this.plugin = plugin;
        this.nodeName = Node.NODE_NAME_SETTING.get(settings);
    }

    @Override
    public String getName() {
        return "newsflow_main_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.GET, "/"), new Route(RestRequest.Method.HEAD, "/"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        return channel -> {
            ClusterService cs = plugin.clusterService();
            String clusterName = cs.getClusterName().value();
            String uuid = cs.state().metadata().clusterUUIDCommitted() ? cs.state().metadata().clusterUUID() : Metadata.UNKNOWN_CLUSTER_UUID;
            Build build = Build.current();
            XContentBuilder b = channel.newBuilder();
            b.startObject();
            b.field("name", nodeName);
            b.field("cluster_name", clusterName);
            b.field("cluster_uuid", uuid);
            b.startObject("version")
                .field("number", build.qualifiedVersion())
                .field("build_flavor", build.flavor())
                .field("build_type", build.type().displayName())
                .field("build_hash", build.hash())
                .field("build_date", build.date())
                .field("build_snapshot", build.isSnapshot())
                .field("lucene_version", IndexVersion.current().luceneVersion().toString())
                .field("minimum_wire_compatibility_version", build.minWireCompatVersion())
                .field("minimum_index_compatibility_version", build.minIndexCompatVersion())
                .endObject();
            b.field("tagline", "You Know, for Search");
            b.endObject();
            channel.sendResponse(new RestResponse(RestStatus.OK, b));
        };
    }
}
