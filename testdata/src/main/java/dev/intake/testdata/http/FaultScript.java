package dev.intake.testdata.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Which requests get which {@link Fault}. Decided in this order: a fault scripted for the
 * request's number; else the oldest "next N matching" rule that matches and has uses left (a
 * use is spent only when it fires); else, for requests in the random scope, a fault drawn at the
 * given rate from a generator seeded with the seed and the request number (so the same request
 * number always gets the same draw).
 */
final class FaultScript {
  private static final class Rule {
    final Predicate<RecordedRequest> matching;
    final Fault fault;
    int remaining;

    Rule(Predicate<RecordedRequest> matching, Fault fault, int remaining) {
      this.matching = matching;
      this.fault = fault;
      this.remaining = remaining;
    }
  }

  private final Map<Integer, Fault> byNumber = new HashMap<>();
  private final List<Rule> rules = new ArrayList<>();
  private double rate;
  private long seed;
  private Fault[] randomFaults = new Fault[0];
  private Predicate<RecordedRequest> randomScope = r -> true;

  synchronized void at(int requestNumber, Fault fault) {
    if (requestNumber < 1) {
      throw new IllegalArgumentException("request numbers start at 1");
    }
    byNumber.put(requestNumber, fault);
  }

  synchronized void next(int count, Predicate<RecordedRequest> matching, Fault fault) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1");
    }
    rules.add(new Rule(matching, fault, count));
  }

  synchronized void random(
      double rate, long seed, Predicate<RecordedRequest> scope, Fault... faults) {
    if (rate < 0 || rate > 1) {
      throw new IllegalArgumentException("rate must be within [0, 1]");
    }
    if (rate > 0 && faults.length == 0) {
      throw new IllegalArgumentException("name at least one fault");
    }
    this.rate = rate;
    this.seed = seed;
    this.randomScope = scope;
    this.randomFaults = faults.clone();
  }

  synchronized void clear() {
    byNumber.clear();
    rules.clear();
    rate = 0;
    randomFaults = new Fault[0];
  }

  /** Scripted faults not fired yet: numbered ones plus the remaining uses of "next" rules. */
  synchronized int pending() {
    int n = byNumber.size();
    for (Rule r : rules) {
      n += r.remaining;
    }
    return n;
  }

  /** The fault for this request, or null; spends the scripted fault it returns. */
  synchronized Fault pick(RecordedRequest request) {
    Fault f = byNumber.remove(request.number());
    if (f != null) {
      return f;
    }
    for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
      Rule r = it.next();
      if (r.matching.test(request)) {
        if (--r.remaining == 0) {
          it.remove();
        }
        return r.fault;
      }
    }
    if (rate > 0 && randomScope.test(request)) {
      SplittableRandom draw = new SplittableRandom(seed ^ (request.number() * 0x9E3779B97F4A7C15L));
      if (draw.nextDouble() < rate) {
        return randomFaults[draw.nextInt(randomFaults.length)];
      }
    }
    return null;
  }
}
