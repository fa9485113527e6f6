import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ComponentsTests {

    @Test
    void namesAndAliasesResolveToTheComponent() {
        assertThat(Components.resolve("s1")).contains("s1");
        assertThat(Components.resolve("users")).contains("s1");
        assertThat(Components.resolve("Music")).contains("s2");
        assertThat(Components.resolve(" datastore ")).contains("db");
        assertThat(Components.resolve("loader")).contains("loader");
        assertThat(Components.resolve("gateway")).contains("gateway");
    }

    @Test
    void unknownNamesResolveToNothing() {
        assertThat(Components.resolve("s3")).isEmpty();
        assertThat(Components.resolve("")).isEmpty();
        assertThat(Components.resolve(null)).isEmpty();
    }

    @Test
    void usageListsEveryNameWithItsAlias() {
        assertThat(Components.names()).containsExactly("s1", "s2", "db", "loader", "gateway");
        assertThat(Components.usage()).isEqualTo("s1|users, s2|music, db|datastore, loader, gateway");
        assertThat(Components.alias("s2")).isEqualTo("music");
        assertThat(Components.alias("loader")).isEmpty();
    }
}
