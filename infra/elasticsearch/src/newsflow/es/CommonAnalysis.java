package newsflow.es;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.charfilter.HTMLStripCharFilter;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.cjk.CJKWidthFilter;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.core.LetterTokenizer;
import org.apache.lucene.analysis.core.UpperCaseFilter;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.de.GermanLightStemFilter;
import org.apache.lucene.analysis.de.GermanMinimalStemFilter;
import org.apache.lucene.analysis.de.GermanNormalizationFilter;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.es.SpanishLightStemFilter;
import org.apache.lucene.analysis.fr.FrenchLightStemFilter;
import org.apache.lucene.analysis.fr.FrenchMinimalStemFilter;
import org.apache.lucene.analysis.it.ItalianLightStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.LengthFilter;
import org.apache.lucene.analysis.miscellaneous.RemoveDuplicatesTokenFilter;
import org.apache.lucene.analysis.miscellaneous.TrimFilter;
import org.apache.lucene.analysis.miscellaneous.TruncateTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.apache.lucene.analysis.pt.PortugueseLightStemFilter;
import org.apache.lucene.analysis.pt.PortugueseMinimalStemFilter;
import org.apache.lucene.analysis.reverse.ReverseStringFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.classic.ClassicTokenizer;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.path.PathHierarchyTokenizer;
import org.apache.lucene.analysis.pattern.PatternTokenizer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractCharFilterFactory;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.NormalizingCharFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.PreConfiguredTokenFilter;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;

import java.io.Reader;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** A small subset of the analysis-common module's components, built on Lucene classes. */
final class CommonAnalysis {
    private CommonAnalysis() {}

    /** Token filter whose output depends only on its settings. */
    private static AnalysisProvider<TokenFilterFactory> filter(BiFunction<Settings, TokenStream, TokenStream> f, boolean normalizing) {
        return (IndexSettings is, Environment env, String name, Settings s) -> normalizing
            ? new NormalizingFilter(name, s, ts -> f.apply(s, ts))
            : new AbstractTokenFilterFactory(name, s) {
                @Override
                public TokenStream create(TokenStream ts) {
                    return f.apply(s, ts);
                }
            };
    }

    private static final class NormalizingFilter extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        private final Function<TokenStream, TokenStream> f;

        NormalizingFilter(String name, Settings s, Function<TokenStream, TokenStream> f) {
            super(name, s);
            this.f = f;
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return f.apply(ts);
        }
    }

    private static AnalysisProvider<TokenizerFactory> tokenizer(Function<Settings, Supplier<Tokenizer>> f) {
        return (IndexSettings is, Environment env, String name, Settings s) -> {
            Supplier<Tokenizer> sup = f.apply(s);
            return new AbstractTokenizerFactory(is, s, name) {
                @Override
                public Tokenizer create() {
                    return sup.get();
                }
            };
        };
    }

    static Map<String, AnalysisProvider<TokenFilterFactory>> tokenFilters() {
        Map<String, AnalysisProvider<TokenFilterFactory>> m = new TreeMap<>();
        m.put("lowercase", filter((s, ts) -> new LowerCaseFilter(ts), true));
        m.put("uppercase", filter((s, ts) -> new UpperCaseFilter(ts), true));
        m.put("asciifolding", filter((s, ts) -> new ASCIIFoldingFilter(ts, s.getAsBoolean("preserve_original", false)), true));
        m.put("trim", filter((s, ts) -> new TrimFilter(ts), true));
        m.put("reverse", filter((s, ts) -> new ReverseStringFilter(ts), false));
        m.put("unique", filter((s, ts) -> new RemoveDuplicatesTokenFilter(ts), false));
        m.put("remove_duplicates", filter((s, ts) -> new RemoveDuplicatesTokenFilter(ts), false));
        m.put("cjk_width", filter((s, ts) -> new CJKWidthFilter(ts), true));
        m.put("cjk_bigram", filter((s, ts) -> new CJKBigramFilter(ts), false));
        m.put("german_normalization", filter((s, ts) -> new GermanNormalizationFilter(ts), true));
        m.put("porter_stem", filter((s, ts) -> new PorterStemFilter(ts), false));
        m.put("kstem", filter((s, ts) -> new KStemFilter(ts), false));
        m.put("length", filter((s, ts) -> new LengthFilter(ts, s.getAsInt("min", 0), s.getAsInt("max", Integer.MAX_VALUE)), false));
        m.put("truncate", filter((s, ts) -> new TruncateTokenFilter(ts, s.getAsInt("length", 10)), false));
        m.put("edge_ngram", filter((s, ts) -> new EdgeNGramTokenFilter(ts, s.getAsInt("min_gram", 1), s.getAsInt("max_gram", 2),
            s.getAsBoolean("preserve_original", false)), false));
        m.put("ngram", filter((s, ts) -> new NGramTokenFilter(ts, s.getAsInt("min_gram", 1), s.getAsInt("max_gram", 2),
            s.getAsBoolean("preserve_original", false)), false));
        m.put("snowball", filter((s, ts) -> new SnowballFilter(ts, s.get("language", "English")), false));
        m.put("stemmer", filter((s, ts) -> stemmer(s.get("language", s.get("name", "english")), ts), false));
        m.put("elision", (IndexSettings is, Environment env, String name, Settings s) -> {
            CharArraySet articles = Analysis.parseArticles(env, s);
            CharArraySet set = articles == null ? FrenchAnalyzer.DEFAULT_ARTICLES : articles;
            return new NormalizingFilter(name, s, ts -> new ElisionFilter(ts, set));
        });
        return m;
    }

    static TokenStream stemmer(String language, TokenStream ts) {
        String l = language.toLowerCase(Locale.ROOT);
        switch (l) {
            case "english", "porter":
                return new PorterStemFilter(ts);
            case "light_english", "kstem":
                return new KStemFilter(ts);
            case "minimal_english":
                return new EnglishMinimalStemFilter(ts);
            case "possessive_english":
                return new EnglishPossessiveFilter(ts);
            case "porter2":
                return new SnowballFilter(ts, "English");
            case "light_french":
                return new FrenchLightStemFilter(ts);
            case "minimal_french":
                return new FrenchMinimalStemFilter(ts);
            case "light_german":
                return new GermanLightStemFilter(ts);
            case "minimal_german":
                return new GermanMinimalStemFilter(ts);
            case "light_spanish":
                return new SpanishLightStemFilter(ts);
            case "light_italian":
                return new ItalianLightStemFilter(ts);
            case "light_portuguese":
                return new PortugueseLightStemFilter(ts);
            case "minimal_portuguese":
                return new PortugueseMinimalStemFilter(ts);
            default:
                // Snowball stemmer by language name: french, german, german2, spanish, italian, dutch, ...
                String snow = Character.toUpperCase(l.charAt(0)) + l.substring(1);
                return new SnowballFilter(ts, snow);
        }
    }

    static Map<String, AnalysisProvider<TokenizerFactory>> tokenizers() {
        Map<String, AnalysisProvider<TokenizerFactory>> m = new TreeMap<>();
        m.put("whitespace", tokenizer(s -> WhitespaceTokenizer::new));
        m.put("keyword", tokenizer(s -> KeywordTokenizer::new));
        m.put("letter", tokenizer(s -> LetterTokenizer::new));
        m.put("classic", tokenizer(s -> ClassicTokenizer::new));
        m.put("uax_url_email", tokenizer(s -> UAX29URLEmailTokenizer::new));
        m.put("path_hierarchy", tokenizer(s -> {
            char delim = s.get("delimiter", "/").charAt(0);
            return () -> new PathHierarchyTokenizer(delim, delim);
        }));
        m.put("pattern", tokenizer(s -> {
            Pattern p = Pattern.compile(s.get("pattern", "\\W+"));
            int group = s.getAsInt("group", -1);
            return () -> new PatternTokenizer(p, group);
        }));
        m.put("ngram", tokenizer(s -> {
            int min = s.getAsInt("min_gram", 1), max = s.getAsInt("max_gram", 2);
            return () -> new NGramTokenizer(min, max);
        }));
        m.put("edge_ngram", tokenizer(s -> {
            int min = s.getAsInt("min_gram", 1), max = s.getAsInt("max_gram", 2);
            return () -> new EdgeNGramTokenizer(min, max);
        }));
        return m;
    }

    static Map<String, AnalysisProvider<CharFilterFactory>> charFilters() {
        Map<String, AnalysisProvider<CharFilterFactory>> m = new TreeMap<>();
        m.put("html_strip", (IndexSettings is, Environment env, String name, Settings s) -> new AbstractCharFilterFactory(name) {
            @Override
            public Reader create(Reader reader) {
                return new HTMLStripCharFilter(reader);
            }
        });
        return m;
    }

    /** Parameter-less filters usable by name without an index-level definition (lowercase already ships in the server). */
    static List<PreConfiguredTokenFilter> preConfiguredTokenFilters() {
        return List.of(
            PreConfiguredTokenFilter.singleton("asciifolding", true, ASCIIFoldingFilter::new),
            PreConfiguredTokenFilter.singleton("uppercase", true, UpperCaseFilter::new),
            PreConfiguredTokenFilter.singleton("trim", true, TrimFilter::new),
            PreConfiguredTokenFilter.singleton("reverse", false, ReverseStringFilter::new),
            PreConfiguredTokenFilter.singleton("unique", false, RemoveDuplicatesTokenFilter::new),
            PreConfiguredTokenFilter.singleton("cjk_width", true, CJKWidthFilter::new),
            PreConfiguredTokenFilter.singleton("cjk_bigram", false, CJKBigramFilter::new),
            PreConfiguredTokenFilter.singleton("german_normalization", true, GermanNormalizationFilter::new),
            PreConfiguredTokenFilter.singleton("porter_stem", false, PorterStemFilter::new),
            PreConfiguredTokenFilter.singleton("kstem", false, KStemFilter::new),
            PreConfiguredTokenFilter.singleton("snowball", false, ts -> new SnowballFilter(ts, "English")),
            PreConfiguredTokenFilter.singleton("stemmer", false, PorterStemFilter::new),
            PreConfiguredTokenFilter.singleton("elision", true, ts -> new ElisionFilter(ts, FrenchAnalyzer.DEFAULT_ARTICLES))
        );
    }
}
