package org.elasticsearch.node;

import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.MockPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsLoader;
import org.elasticsearch.plugins.PluginsService;

import java.util.Collection;
import java.util.List;

/**
 * A plain {@link Node} whose plugins are classes on the application classpath instead of
 * bundles under {@code modules/} / {@code plugins/}.
 *
 * Lives in {@code org.elasticsearch.node} only because {@code NodeConstruction} and
 * {@code NodeServiceProvider} are package-private. Unlike the test framework's MockNode it
 * does not touch {@code ESTestCase} (whose static initialiser refuses to run as root and
 * expects a randomized-testing context); it keeps every production service (real transport,
 * real HTTP, real BigArrays / search service) and only swaps the plugin loading.
 */
public class NewsflowClasspathNode extends Node {

    public NewsflowClasspathNode(Environment environment, Collection<Class<? extends Plugin>> classpathPlugins) {
        super(NodeConstruction.prepareConstruction(environment, null, new ClasspathServiceProvider(List.copyOf(classpathPlugins)), true));
    }

    private static final class ClasspathServiceProvider extends NodeServiceProvider {
        private final List<Class<? extends Plugin>> plugins;

        ClasspathServiceProvider(List<Class<? extends Plugin>> plugins) {
            this.plugins = plugins;
        }

        @Override
        PluginsService newPluginService(Environment environment, PluginsLoader pluginsLoader) {
            return new MockPluginsService(environment.settings(), environment, plugins);
        }
    }
}
