package dev.intake.transforms.sources.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class ApiRequestTest {
  @Test
  void readableUrlsAreDecodedAndShowNonDefaultPortsOnly() {
    assertThat(ApiRequest.readable(HttpUrl.get("http://127.0.0.1:4123/items.json?limit=1")),
        is("http://127.0.0.1:4123/items.json?limit=1"));
    HttpUrl encoded = HttpUrl.get("https://api.example.org:443/x?q=a%20%3E%3D%20b&f");
    assertThat(ApiRequest.readable(encoded), is("https://api.example.org/x?q=a >= b&f"));
  }

  @Test
  void aRequestDescribesItselfByMethodAndReadableUrl() {
    HttpUrl url = HttpUrl.get("https://api.example.org/v4/search?after=a%2Bb");
    assertThat(ApiRequest.get(url).describe(),
        is("GET https://api.example.org/v4/search?after=a+b"));
    ApiRequest post = ApiRequest.post(url, "{\"limit\":2}");
    assertThat(post.describe(), is("POST https://api.example.org/v4/search?after=a+b"));
    assertThat(post.body(), is(Optional.of("{\"limit\":2}")));
    assertThat(ApiRequest.get(url).body(), is(Optional.empty()));
  }

  @Test
  void headersAreKeptInOrderAndARequestIsAValue() {
    HttpUrl url = HttpUrl.get("https://api.example.org/x");
    ApiRequest r = ApiRequest.get(url).withHeader("B", "2").withHeader("A", "1")
        .withHeader("B", "3");
    assertThat(r.headers().keySet(), contains("B", "A"));
    assertThat(r.headers().get("B"), is("3"));
    assertThat(r, is(ApiRequest.get(url).withHeader("B", "3").withHeader("A", "1")));
    assertThat(r, not(is(ApiRequest.post(url, "{}"))));
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> ApiRequest.get(url).withHeader(" ", "x")).getMessage(),
        is("a header needs a name and a value, but was  "));
  }
}
