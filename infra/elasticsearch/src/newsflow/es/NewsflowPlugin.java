package newsflow.es;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.PreBuiltAnalyzerProviderFactory;
import org.elasticsearch.index.analysis.PreConfiguredTokenFilter;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.indices.analysis.PreBuiltCacheFactory.CachingStrategy;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.RestHandler;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Stand-in for the Elasticsearch modules that are not published to Maven Central
 * (rest-root, analysis-common): the {@code GET /} / {@code HEAD /} info endpoint and
 * the language analyzers plus a handful of common token filters / tokenizers.
 * Registered directly as a classpath plugin by {@link NewsflowNode}.
 */
public class NewsflowPlugin extends Plugin implements ActionPlugin, AnalysisPlugin {

    private volatile ClusterService clusterService;

    @Override
    public Collection<?> createComponents(PluginServices services) {
        this.clusterService = services.clusterService();
        return List.of();
    }

    ClusterService clusterService() {
        return clusterService;
    }

    @Override
    public Collection<RestHandler> getRestHandlers(
        Settings settings,
        org.elasticsearch.common.io.stream.NamedWriteableRegistry namedWriteableRegistry,
        org.elasticsearch.rest.RestController restController,
        org.elasticsearch.common.settings.ClusterSettings clusterSettings,
        org.elasticsearch.common.settings.IndexScopedSettings indexScopedSettings,
        org.elasticsearch.common.settings.SettingsFilter settingsFilter,
        org.elasticsearch.cluster.metadata.IndexNameExpressionResolver indexNameExpressionResolver,
        Supplier<org.elasticsearch.cluster.node.DiscoveryNodes> nodesInCluster,
        java.util.function.Predicate<org.elasticsearch.features.NodeFeature> clusterSupportsFeature
    ) {
        return List.of(new RootInfoHandler(this, settings));
    }

    // ------------------------------------------------------------------ analyzers

    /** A Lucene language analyzer built from (stopwords, stem exclusion set). */
    private record Lang(Supplier<CharArraySet> defaultStop, BiFunction<CharArraySet, CharArraySet, Analyzer> factory) {}

    static Map<String, Lang> languages() {
        Map<String, Lang> m = new LinkedHashMap<>();
        m.put("english", new Lang(org.apache.lucene.analysis.en.EnglishAnalyzer::getDefaultStopSet,
            org.apache.lucene.analysis.en.EnglishAnalyzer::new));
        m.put("french", new Lang(org.apache.lucene.analysis.fr.FrenchAnalyzer::getDefaultStopSet,
            org.apache.lucene.analysis.fr.FrenchAnalyzer::new));
        m.put("german", new Lang(org.apache.lucene.analysis.de.GermanAnalyzer::getDefaultStopSet,
            org.apache.lucene.analysis.de.GermanAnalyzer::new));
        m.put("spanish", new Lang(org.apache.lucene.analysis.es.SpanishAnalyzer::getDefaultStopSet,
            org.apache.lucene.analysis.es.SpanishAnalyzer::new));
        m.put("italian", new Lang(org.apache.lucene.analysis.it.ItalianAnalyzer::getDefaultStopSet,
            org.apache.lucene.analysis.it.ItalianAnalyzer::new));
        m.put("dutch", new Lang(org.apache.lucene.analysis.nl.DutchAnalyzer::getDefaultStopSet,
            org.apache.lucene.analysis.nl.DutchAnalyzer::new));
        m.put("portuguese", new Lang(org.apache.lucene.analysis.pt.PortugueseAnalyzer::getDefaultStopSet,
            org.apache.lucene.analysis.pt.PortugueseAnalyzer::new));
        m.put("russian", new Lang(org.apache.lucene.analysis.ru.RussianAnalyzer::getDefaultStopSet,
            org.apache.lucene.analysis.ru.RussianAnalyzer::new));
        m.put("swedish", new Lang(org.apache.lucene.analysis.sv.SwedishAnalyzer::getDefaultStopSet,
            org.apache.lucene.analysis.sv.SwedishAnalyzer::new));
        m.put("danish", new Lang(org.apache.lucene.analysis.da.DanishAnalyzer::getDefaultStopSet,
            org.apache.lucene.analysis.da.DanishAnalyzer::new));
        m.put("norwegian", new Lang(org.apache.lucene.analysis.no.NorwegianAnalyzer::getDefaultStopSet,
            org.apache.lucene.analysis.no.NorwegianAnalyzer::new));
        m.put("finnish", new Lang(org.apache.lucene.analysis.fi.FinnishAnalyzer::getDefaultStopSet,
            org.apache.lucene.analysis.fi.FinnishAnalyzer::new));
        m.put("czech", new Lang(org.apache.lucene.analysis.cz.CzechAnalyzer::getDefaultStopSet,
            org.apache.lucene.analysis.cz.CzechAnalyzer::new));
        m.put("romanian", new Lang(org.apache.lucene.analysis.ro.RomanianAnalyzer::getDefaultStopSet,
            org.apache.lucene.analysis.ro.RomanianAnalyzer::new));
        m.put("turkish", new Lang(org.apache.lucene.analysis.tr.TurkishAnalyzer::getDefaultStopSet,
            org.apache.lucene.analysis.tr.TurkishAnalyzer::new));
        m.put("greek", new Lang(org.apache.lucene.analysis.el.GreekAnalyzer::getDefaultStopSet,
            (stop, excl) -> new org.apache.lucene.analysis.el.GreekAnalyzer(stop)));
        m.put("arabic", new Lang(org.apache.lucene.analysis.ar.ArabicAnalyzer::getDefaultStopSet,
            org.apache.lucene.analysis.ar.ArabicAnalyzer::new));
        m.put("hungarian", new Lang(org.apache.lucene.analysis.hu.HungarianAnalyzer::getDefaultStopSet,
            org.apache.lucene.analysis.hu.HungarianAnalyzer::new));
        m.put("indonesian", new Lang(org.apache.lucene.analysis.id.IndonesianAnalyzer::getDefaultStopSet,
            org.apache.lucene.analysis.id.IndonesianAnalyzer::new));
        m.put("catalan", new Lang(org.apache.lucene.analysis.ca.CatalanAnalyzer::getDefaultStopSet,
            org.apache.lucene.analysis.ca.CatalanAnalyzer::new));
        m.put("cjk", new Lang(org.apache.lucene.analysis.cjk.CJKAnalyzer::getDefaultStopSet,
            (stop, excl) -> new org.apache.lucene.analysis.cjk.CJKAnalyzer(stop)));
        return m;
    }

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> out = new TreeMap<>();
        languages().forEach((name, lang) -> out.put(name, (IndexSettings indexSettings, Environment env, String n, Settings s) -> {
            CharArraySet stop = Analysis.parseStopWords(env, s, lang.defaultStop().get());
            CharArraySet excl = Analysis.parseStemExclusion(s, CharArraySet.EMPTY_SET);
            Analyzer analyzer = lang.factory().apply(stop, excl);
            return new AbstractIndexAnalyzerProvider<Analyzer>(n, s) {
                @Override
                public Analyzer get() {
                    return analyzer;
                }
            };
        }));
        return out;
    }

    @Override
    public List<PreBuiltAnalyzerProviderFactory> getPreBuiltAnalyzerProviderFactories() {
        List<PreBuiltAnalyzerProviderFactory> out = new ArrayList<>();
        languages().forEach((name, lang) -> out.add(new PreBuiltAnalyzerProviderFactory(name, CachingStrategy.LUCENE,
            () -> lang.factory().apply(lang.defaultStop().get(), CharArraySet.EMPTY_SET))));
        return out;
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return CommonAnalysis.tokenFilters();
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return CommonAnalysis.tokenizers();
    }

    @Override
    public Map<String, AnalysisProvider<CharFilterFactory>> getCharFilters() {
        return CommonAnalysis.charFilters();
    }

    @Override
    public List<PreConfiguredTokenFilter> getPreConfiguredTokenFilters() {
        return CommonAnalysis.preConfiguredTokenFilters();
    }
}
