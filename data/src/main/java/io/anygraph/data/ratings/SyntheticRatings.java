package io.anygraph.data.ratings;

import io.anygraph.data.Dataset;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Ratings drawn from a latent-factor model, the model matrix factorization assumes, so a
 * recommender has a known structure to find and a known noise floor:
 *
 * <pre>
 *   p_u ~ N(0, s² I_k), q_i ~ N(0, s² I_k) with s = k^(-1/4)  (so p_u · q_i has variance 1)
 *   b_u ~ N(0, 0.3²),  b_i ~ N(0, 0.3²)
 *   rating(u, i) = clip(3.5 + b_u + b_i + p_u · q_i + e,  1, 5),  e ~ N(0, noise²)
 * </pre>
 *
 * Each user rates {@code perUser} distinct items, drawn uniformly without replacement. Every draw
 * comes from one {@link SplittableRandom} of the seed (normals by Box–Muller), so a seed gives the
 * same ratings on every JVM. Examples are features int32 [n, 2] (user, item) and labels float32 [n]
 * (the rating), in user order; {@link #split} shuffles them into training and held-out sets.
 *
 * <pre>{@code
 * SyntheticRatings r = SyntheticRatings.generate(SyntheticRatings.Config.DEFAULT);
 * SyntheticRatings.Split s = r.split(0.1, 7);   // s.train(), s.heldOut(): Datasets
 * }</pre>
 */
public final class SyntheticRatings {
  /** The mean rating before biases and factors. */
  public static final double MEAN = 3.5;

  /** Standard deviation of the user and item biases. */
  public static final double BIAS_SCALE = 0.3;

  /**
   * The generator's settings.
   *
   * @param users number of users (ids 0..users-1)
   * @param items number of items (ids 0..items-1)
   * @param factors latent dimensions k
   * @param perUser items each user rates (at most {@code items})
   * @param noise standard deviation of the noise added to each rating
   * @param seed the one seed of every draw
   */
  public record Config(int users, int items, int factors, int perUser, double noise, long seed) {
    /** 2,000 users, 1,000 items, 8 factors, 50 ratings per user (100,000 ratings), noise 0.25. */
    public static final Config DEFAULT = new Config(2000, 1000, 8, 50, 0.25, 1);

    public Config {
      if (users < 1 || items < 1 || factors < 1 || perUser < 1 || perUser > items) {
        throw new IllegalArgumentException(
            "ratings of "
                + users
                + " users, "
                + items
                + " items, "
                + factors
                + " factors, "
                + perUser
                + " per user: counts must be at least 1, and perUser at most the items");
      }
      if (!(noise >= 0) || Double.isInfinite(noise)) {
        throw new IllegalArgumentException("noise " + noise + " must be finite and at least 0");
      }
    }
  }

  /** Training and held-out ratings. */
  public record Split(Dataset train, Dataset heldOut) {}

  private final Config config;
  private final double[][] userFactors;
  private final double[][] itemFactors;
  private final double[] userBias;
  private final double[] itemBias;
  private final Dataset ratings;

  private SyntheticRatings(
      Config config,
      double[][] userFactors,
      double[][] itemFactors,
      double[] userBias,
      double[] itemBias,
      Dataset ratings) {
    this.config = config;
    this.userFactors = userFactors;
    this.itemFactors = itemFactors;
    this.userBias = userBias;
    this.itemBias = itemBias;
    this.ratings = ratings;
  }

  /** Draws the model and its ratings. */
  public static SyntheticRatings generate(Config c) {
    SplittableRandom random = new SplittableRandom(c.seed());
    double scale = Math.pow(c.factors(), -0.25);
    double[][] p = normals(random, c.users(), c.factors(), scale);
    double[][] q = normals(random, c.items(), c.factors(), scale);
    double[] bu = normals(random, 1, c.users(), BIAS_SCALE)[0];
    double[] bi = normals(random, 1, c.items(), BIAS_SCALE)[0];
    int n = c.users() * c.perUser();
    int[] pairs = new int[2 * n];
    float[] values = new float[n];
    int[] items = new int[c.items()];
    for (int u = 0, k = 0; u < c.users(); u++) {
      for (int i = 0; i < items.length; i++) {
        items[i] = i;
      }
      for (int j = 0; j < c.perUser(); j++, k++) { // partial Fisher–Yates: perUser distinct items
        int pick = j + random.nextInt(items.length - j);
        int item = items[pick];
        items[pick] = items[j];
        items[j] = item;
        double r = MEAN + bu[u] + bi[item] + dot(p[u], q[item]) + c.noise() * normal(random);
        pairs[2 * k] = u;
        pairs[2 * k + 1] = item;
        values[k] = (float) Math.min(5, Math.max(1, r));
      }
    }
    INDArray features = Nd4j.create(pairs, new long[] {n, 2}, DataType.INT32);
    INDArray labels = Nd4j.create(values, new long[] {n}, DataType.FLOAT);
    return new SyntheticRatings(c, p, q, bu, bi, new Dataset(features, labels));
  }

  public Config config() {
    return config;
  }

  /** Every rating, in user order: features int32 [n, 2] (user, item), labels float32 [n]. */
  public Dataset ratings() {
    return ratings;
  }

  /** The model's noise-free, unclipped rating {@code 3.5 + b_u + b_i + p_u · q_i}. */
  public double expected(int user, int item) {
    return MEAN + userBias[user] + itemBias[item] + dot(userFactors[user], itemFactors[item]);
  }

  /** User {@code u}'s bias b_u. */
  public double userBias(int u) {
    return userBias[u];
  }

  /** Item {@code i}'s bias b_i. */
  public double itemBias(int i) {
    return itemBias[i];
  }

  /** User {@code u}'s latent factors (a copy). */
  public double[] userFactors(int u) {
    return userFactors[u].clone();
  }

  /** Item {@code i}'s latent factors (a copy). */
  public double[] itemFactors(int i) {
    return itemFactors[i].clone();
  }

  /**
   * The ratings in the order {@link Dataset#order} gives for {@code seed}: the last {@code
   * heldOutFraction} (rounded down) held out, the rest for training.
   */
  public Split split(double heldOutFraction, long seed) {
    if (!(heldOutFraction > 0 && heldOutFraction < 1)) {
      throw new IllegalArgumentException(
          "held-out fraction " + heldOutFraction + " is not between 0 and 1");
    }
    Dataset shuffled = ratings.shuffled(seed);
    int heldOut = (int) (ratings.size() * heldOutFraction);
    int train = ratings.size() - heldOut;
    return new Split(shuffled.range(0, train), shuffled.range(train, ratings.size()));
  }

  private static double[][] normals(SplittableRandom random, int rows, int cols, double scale) {
    double[][] out = new double[rows][cols];
    for (double[] row : out) {
      Arrays.setAll(row, i -> scale * normal(random));
    }
    return out;
  }

  /** A standard normal by Box–Muller (one of the pair), from the generator's uniform doubles. */
  private static double normal(SplittableRandom random) {
    double u1 = 1 - random.nextDouble(); // (0, 1]: the logarithm stays finite
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
