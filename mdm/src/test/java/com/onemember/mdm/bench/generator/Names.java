package com.onemember.mdm.bench.generator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Name material for the generator: surnames with their shares of the population, given names with
 * the birth cohort that favours them, the homophone characters a clerk's input method offers
 * instead, traditional forms, WeChat nicknames and English names.
 */
final class Names {

  /** A family name and its usual romanisation. */
  record Surname(String han, String pinyin) {}

  /**
   * A given name.
   *
   * @param syllables romanisation, one entry per character
   * @param era the birth cohort the name is typical of: 0 before 1975, 1 from 1975 to 1994, 2 from
   *     1995, -1 for names given in every cohort
   */
  record GivenName(String han, List<String> syllables, int era) {

    /** Pinyin as people write it in a form: syllables run together (Xiuying). */
    String romanised() {
      return String.join("", syllables);
    }
  }

  /**
   * Surnames with approximate shares per 10,000 people (2020 census order); {@code ^} marks
   * surnames markedly more common in Shanghai, Jiangsu and Zhejiang, where most simulated stores
   * are.
   */
  private static final String SURNAMES =
      "王 wang 710,李 li 700,张 zhang 610,刘 liu 540,陈 chen 450,杨 yang 310,黄 huang 220,"
          + "赵 zhao 230,吴 wu 200^,周 zhou 200^,徐 xu 170^,孙 sun 150,马 ma 145,朱 zhu 130^,"
          + "胡 hu 130,郭 guo 120,何 he 110,林 lin 100,高 gao 100,罗 luo 90,郑 zheng 85,梁 liang 80,"
          + "谢 xie 70,宋 song 65,唐 tang 65,许 xu 63,韩 han 60,冯 feng 60,邓 deng 58,曹 cao 56,"
          + "彭 peng 55,曾 zeng 54,肖 xiao 53,田 tian 52,董 dong 51,袁 yuan 50,潘 pan 50,于 yu 49,"
          + "蒋 jiang 48^,蔡 cai 47,余 yu 46,杜 du 45,叶 ye 44,程 cheng 43,苏 su 42,魏 wei 41,"
          + "吕 lv 40,丁 ding 39,任 ren 38,沈 shen 37^,姚 yao 36,卢 lu 35,姜 jiang 34,崔 cui 33,"
          + "钟 zhong 32,谭 tan 31,陆 lu 30^,汪 wang 29,范 fan 28,金 jin 27,石 shi 26,廖 liao 25,"
          + "贾 jia 24,夏 xia 23,韦 wei 22,付 fu 21,方 fang 21,白 bai 20,邹 zou 20,孟 meng 19,"
          + "熊 xiong 19,秦 qin 18,邱 qiu 18,江 jiang 17,尹 yin 17,薛 xue 16,闫 yan 16,段 duan 15,"
          + "雷 lei 15,侯 hou 14,龙 long 14,史 shi 13,陶 tao 13,黎 li 13,贺 he 12,顾 gu 12^,"
          + "毛 mao 12,郝 hao 11,龚 gong 11,邵 shao 11,万 wan 10,钱 qian 10^,严 yan 10,覃 qin 9,"
          + "武 wu 9,戴 dai 9,莫 mo 8,孔 kong 8,向 xiang 8,汤 tang 8,欧阳 ou-yang 3,司马 si-ma 1,"
          + "诸葛 zhu-ge 1,上官 shang-guan 1";

  /** Male given names: han, syllables, weight, cohort (O, M, Y or A for all). */
  private static final String MALE =
      "伟 wei 40 A,强 qiang 16 A,磊 lei 16 M,军 jun 14 O,勇 yong 14 A,杰 jie 16 A,涛 tao 13 M,"
          + "超 chao 12 M,明 ming 12 A,刚 gang 10 O,平 ping 8 O,辉 hui 10 A,鹏 peng 9 M,华 hua 8 O,"
          + "飞 fei 9 M,斌 bin 8 M,亮 liang 8 M,波 bo 8 M,宇 yu 9 Y,浩 hao 9 Y,俊 jun 7 M,"
          + "帅 shuai 6 M,健 jian 6 A,峰 feng 7 M,凯 kai 6 M,鑫 xin 7 M,龙 long 6 A,阳 yang 6 M,"
          + "晨 chen 6 Y,博 bo 5 Y,毅 yi 4 M,东 dong 5 O,旭 xu 4 M,坤 kun 3 M,昊 hao 4 Y,"
          + "建华 jian-hua 6 O,建国 jian-guo 6 O,建军 jian-jun 5 O,志强 zhi-qiang 6 O,"
          + "志明 zhi-ming 4 O,国强 guo-qiang 4 O,海涛 hai-tao 4 M,晓东 xiao-dong 4 M,"
          + "文博 wen-bo 3 Y,浩然 hao-ran 8 Y,子轩 zi-xuan 7 Y,宇轩 yu-xuan 6 Y,俊杰 jun-jie 6 M,"
          + "子豪 zi-hao 4 Y,博文 bo-wen 4 Y,一鸣 yi-ming 3 Y,思远 si-yuan 3 Y,天佑 tian-you 3 Y,"
          + "明轩 ming-xuan 4 Y,皓轩 hao-xuan 4 Y,梓豪 zi-hao 4 Y,家豪 jia-hao 3 Y,志伟 zhi-wei 4 M,"
          + "振华 zhen-hua 3 O,立新 li-xin 2 O,德明 de-ming 2 O,永强 yong-qiang 3 O,玉林 yu-lin 2 O,"
          + "春生 chun-sheng 2 O,国华 guo-hua 2 O,红军 hong-jun 2 O,晓峰 xiao-feng 3 M,"
          + "小龙 xiao-long 3 M,嘉伟 jia-wei 3 M,文杰 wen-jie 3 M,泽宇 ze-yu 4 Y,雨泽 yu-ze 3 Y,"
          + "宏伟 hong-wei 3 M,海波 hai-bo 3 M,建平 jian-ping 3 O,卫东 wei-dong 2 O,建新 jian-xin 2 O,"
          + "国庆 guo-qing 2 O,晓明 xiao-ming 3 M,子涵 zi-han 3 Y";

  /** Female given names, in the same layout as {@link #MALE}. */
  private static final String FEMALE =
      "芳 fang 32 M,娜 na 30 M,敏 min 26 A,静 jing 28 M,丽 li 22 O,艳 yan 18 M,娟 juan 16 M,"
          + "霞 xia 12 O,燕 yan 12 A,玲 ling 10 A,婷 ting 10 M,洁 jie 8 M,琳 lin 8 M,颖 ying 8 M,"
          + "雪 xue 8 M,倩 qian 8 M,萍 ping 8 O,红 hong 8 O,莉 li 6 M,慧 hui 7 A,晶 jing 6 M,"
          + "丹 dan 6 M,璐 lu 4 Y,瑶 yao 5 Y,欣 xin 5 Y,佳 jia 4 Y,月 yue 3 A,菲 fei 4 M,蕾 lei 3 M,"
          + "薇 wei 4 M,秀英 xiu-ying 18 O,桂英 gui-ying 8 O,秀兰 xiu-lan 8 O,玉兰 yu-lan 5 O,"
          + "丽娟 li-juan 5 M,海燕 hai-yan 6 M,晓燕 xiao-yan 6 M,晓丽 xiao-li 4 M,婷婷 ting-ting 8 M,"
          + "丹丹 dan-dan 6 M,欣怡 xin-yi 8 Y,子涵 zi-han 8 Y,梓涵 zi-han 6 Y,诗涵 shi-han 6 Y,"
          + "雨欣 yu-xin 5 Y,一诺 yi-nuo 5 Y,佳怡 jia-yi 5 Y,思琪 si-qi 5 Y,梦瑶 meng-yao 4 Y,"
          + "雨涵 yu-han 4 Y,静怡 jing-yi 4 Y,可欣 ke-xin 4 Y,美玲 mei-ling 3 M,春梅 chun-mei 4 O,"
          + "红梅 hong-mei 4 O,凤英 feng-ying 3 O,淑珍 shu-zhen 3 O,金凤 jin-feng 3 O,丽华 li-hua 3 O,"
          + "雪梅 xue-mei 3 M,慧敏 hui-min 3 M,晓红 xiao-hong 3 M,文静 wen-jing 4 M,小燕 xiao-yan 3 M,"
          + "佳琪 jia-qi 3 Y,若曦 ruo-xi 2 Y,欣妍 xin-yan 3 Y,紫萱 zi-xuan 3 Y,雅婷 ya-ting 4 M,"
          + "秀珍 xiu-zhen 3 O,玉梅 yu-mei 3 O";

  /**
   * Characters of the long tail of given names, most frequent first: han and pinyin, space
   * separated. Names drawn from here are two characters (sometimes one) combined freely, so that,
   * as in real life, most people share their full name with nobody.
   */
  private static final String MALE_CHARACTERS =
      "志 zhi,建 jian,国 guo,文 wen,明 ming,永 yong,海 hai,晓 xiao,俊 jun,家 jia,子 zi,宇 yu,"
          + "浩 hao,天 tian,嘉 jia,思 si,泽 ze,博 bo,振 zhen,德 de,长 chang,金 jin,世 shi,立 li,"
          + "正 zheng,庆 qing,春 chun,学 xue,成 cheng,新 xin,光 guang,保 bao,福 fu,荣 rong,东 dong,"
          + "兴 xing,鹏 peng,伟 wei,军 jun,勇 yong,杰 jie,涛 tao,斌 bin,辉 hui,华 hua,强 qiang,"
          + "磊 lei,峰 feng,飞 fei,平 ping,刚 gang,宏 hong,亮 liang,超 chao,波 bo,龙 long,林 lin,"
          + "鑫 xin,毅 yi,健 jian,凯 kai,锋 feng,晨 chen,阳 yang,轩 xuan,豪 hao,然 ran,睿 rui,"
          + "哲 zhe,翔 xiang,宁 ning,源 yuan,松 song,彬 bin,旭 xu,帆 fan,昊 hao,铭 ming,瑞 rui,"
          + "恒 heng,航 hang,逸 yi,骏 jun,弘 hong,卫 wei,胜 sheng,利 li,忠 zhong,安 an,云 yun,"
          + "启 qi,锦 jin";

  private static final String FEMALE_CHARACTERS =
      "秀 xiu,丽 li,美 mei,玉 yu,晓 xiao,婷 ting,雅 ya,静 jing,欣 xin,思 si,梦 meng,佳 jia,"
          + "雨 yu,诗 shi,紫 zi,慧 hui,春 chun,桂 gui,凤 feng,金 jin,淑 shu,艳 yan,红 hong,燕 yan,"
          + "霞 xia,玲 ling,芳 fang,娟 juan,敏 min,琳 lin,颖 ying,倩 qian,雪 xue,莉 li,晶 jing,"
          + "丹 dan,瑶 yao,怡 yi,涵 han,萱 xuan,琪 qi,妍 yan,蕾 lei,薇 wei,璐 lu,菲 fei,婧 jing,"
          + "洁 jie,青 qing,兰 lan,英 ying,梅 mei,珍 zhen,华 hua,萍 ping,月 yue,彤 tong,悦 yue,"
          + "可 ke,心 xin,若 ruo,文 wen,舒 shu,嘉 jia,馨 xin,宁 ning,晨 chen,曦 xi,茜 qian,楠 nan,"
          + "蓉 rong,岚 lan,娅 ya,露 lu,翠 cui,秋 qiu,荣 rong,素 su,凡 fan,佩 pei";

  /**
   * Share of people whose given name comes from the head list above rather than the long tail;
   * chosen so that the commonest full names (王伟, 李静, 张敏…) are each held by a few dozen people per
   * 50,000, a little above their real share, which keeps the matcher honest.
   */
  private static final double HEAD_SHARE = 0.25;

  /**
   * Characters an input method offers for the same pinyin, in the order a hurried clerk is likely
   * to pick them by mistake.
   */
  private static final String HOMOPHONES =
      "伟玮炜威维,娜纳那,静晶婧菁靖,敏民闽珉,芳方舫,丽莉俐立,强蔷,磊蕾垒,军君钧,勇永涌,杰洁捷,"
          + "涛韬滔,超潮,明铭鸣,刚钢纲,平萍苹,辉晖徽,鹏朋,华桦骅,飞菲非,斌彬滨,亮靓,波博,宇雨羽,"
          + "浩皓昊,俊峻骏,健建剑,峰锋丰枫,凯恺铠,鑫欣馨,龙隆,阳洋扬,晨辰琛,博波,毅艺,东冬,旭煦,"
          + "艳燕雁,娟鹃涓,霞侠,燕艳雁,玲铃苓,婷亭庭,洁杰捷,琳林霖,颖莹影,雪学,倩茜,萍平苹,红宏鸿,"
          + "莉丽俐,慧惠蕙,晶静菁,丹单,璐露路,瑶遥,欣馨鑫,佳嘉家,菲霏,薇微,英瑛莹,兰岚,梅玫,"
          + "涵晗含,怡仪宜,轩萱宣,琪琦淇,然冉,珍贞,凤风,建健剑,志智,文雯,晓小筱,林琳霖,远源,天添,"
          + "佑祐,梓子紫,子紫梓,思斯,雨宇语,家佳嘉,鸣明铭,王汪,张章,李黎,刘柳,杨阳扬,黄皇,吴伍武,"
          + "周州舟,徐许,许徐,胡湖,江姜,姜江,蒋姜,彭鹏,程成,肖萧,钟忠,韩寒,冯丰,于余,余于,陆路,"
          + "付傅,方芳";

  /** Simplified → traditional for characters that differ, as typed by customers from Hong Kong. */
  private static final String TRADITIONAL =
      "张張伟偉刘劉陈陳杨楊黄黃赵趙吴吳孙孫马馬罗羅郑鄭谢謝韩韓冯馮邓鄧许許东東丽麗静靜军軍红紅华華"
          + "刚剛涛濤杰傑艳艷强強国國辉輝飞飛鹏鵬龙龍凤鳳兰蘭宁寧庆慶叶葉钟鍾汤湯邹鄒贺賀顾顧龚龔苏蘇"
          + "卢盧蒋蔣钱錢陆陸韦韋颖穎晓曉轩軒凯凱阳陽丰豐诗詩梦夢瑶瑤泽澤远遠鸣鳴帅帥卫衛洁潔贾賈闫閆"
          + "吕呂谭譚万萬严嚴";

  static final Weighted<Surname> SURNAMES_ELSEWHERE;
  static final Weighted<Surname> SURNAMES_EAST;
  private static final List<List<Weighted<GivenName>>> GIVEN = new ArrayList<>();
  private static final List<Weighted<GivenName>> TAIL_CHARACTERS = new ArrayList<>();
  private static final Map<Character, String> SOUNDS_ALIKE = new HashMap<>();
  private static final Map<Character, Character> TRADITIONAL_FORM = new HashMap<>();

  static {
    List<Surname> surnames = new ArrayList<>();
    List<Double> plain = new ArrayList<>();
    List<Double> east = new ArrayList<>();
    for (String entry : SURNAMES.split(",")) {
      String[] f = entry.split(" ");
      boolean eastern = f[2].endsWith("^");
      double w = Double.parseDouble(f[2].replace("^", ""));
      surnames.add(new Surname(f[0], capitalised(f[1].replace("-", ""))));
      plain.add(w);
      east.add(eastern ? w * 2.2 : w);
    }
    SURNAMES_ELSEWHERE = new Weighted<>(surnames, unbox(plain));
    SURNAMES_EAST = new Weighted<>(surnames, unbox(east));
    for (String table : List.of(MALE, FEMALE)) {
      List<GivenName> names = new ArrayList<>();
      List<Double> weights = new ArrayList<>();
      for (String entry : table.split(",")) {
        String[] f = entry.split(" ");
        int era = "OMY".indexOf(f[3]);
        names.add(new GivenName(f[0], List.of(f[1].split("-")), era));
        weights.add(Double.parseDouble(f[2]));
      }
      List<Weighted<GivenName>> byEra = new ArrayList<>();
      for (int cohort = 0; cohort < 3; cohort++) {
        double[] w = new double[names.size()];
        for (int i = 0; i < w.length; i++) {
          int era = names.get(i).era();
          int distance = era < 0 ? 0 : Math.abs(era - cohort);
          w[i] = weights.get(i) * (distance == 0 ? 1 : distance == 1 ? 0.25 : 0.04);
        }
        byEra.add(new Weighted<>(names, w));
      }
      GIVEN.add(byEra);
    }
    for (String table : List.of(MALE_CHARACTERS, FEMALE_CHARACTERS)) {
      List<GivenName> characters = new ArrayList<>();
      List<Double> weights = new ArrayList<>();
      for (String entry : table.split(",")) {
        String[] f = entry.split(" ");
        characters.add(new GivenName(f[0], List.of(f[1]), -1));
        weights.add(1.0 / (characters.size() + 8));
      }
      TAIL_CHARACTERS.add(new Weighted<>(characters, unbox(weights)));
    }
    for (String group : HOMOPHONES.split(",")) {
      SOUNDS_ALIKE.put(group.charAt(0), group.substring(1));
    }
    for (int i = 0; i < TRADITIONAL.length(); i += 2) {
      TRADITIONAL_FORM.put(TRADITIONAL.charAt(i), TRADITIONAL.charAt(i + 1));
    }
  }

  /** WeChat nicknames; none is a person's name, some carry emoji that GBK cannot encode. */
  static final List<String> FEMALE_NICKNAMES =
      List.of(
          "🌸花花", "风一样的女子", "小确幸", "静待花开", "浅笑安然", "Lily", "Amy", "Coco", "Vivian", "糖糖", "小仙女",
          "🍓草莓味的猫", "一米阳光", "晴天", "暖暖", "兔子🐰", "花开半夏", "喵喵", "小可爱", "Cherry", "向日葵🌻", "安之若素",
          "樱桃小丸子", "棉花糖");

  static final List<String> MALE_NICKNAMES =
      List.of(
          "阳光男孩", "追梦人", "海阔天空", "Jack", "Tony", "Kevin", "大白", "老司机", "天道酬勤", "淡定", "寒冰", "孤狼",
          "一路向北", "🐟鱼", "山高水长", "平凡人生", "Leo", "飞翔的企鹅", "⚽️足球少年", "老骥伏枥");

  static final List<String> ANY_NICKNAMES =
      List.of(
          "木子", "小鱼儿", "随遇而安", "知足常乐", "岁月静好", "平安是福", "快乐每一天", "简单", "开心果", "微笑", "^_^", "。", "A",
          "夏天的风", "🍀幸运草", "芒果", "心如止水", "无名", "✨", "Sunny", "守望", "清风徐来");

  /** What the mini-program stores since WeChat stopped handing out profiles (2021). */
  static final String DEFAULT_NICKNAME = "微信用户";

  /** English names some customers give web shops instead of their pinyin given name. */
  static final List<String> MALE_ENGLISH =
      List.of(
          "Jack", "Tony", "Kevin", "Leo", "David", "Eric", "Jason", "Michael", "Peter", "Frank");

  static final List<String> FEMALE_ENGLISH =
      List.of(
          "Lily", "Amy", "Coco", "Vivian", "Grace", "Cindy", "Helen", "Emma", "Sophia", "Cherry",
          "Judy");

  /** Notes clerks keep in the store sheet's 备注 column. */
  static final List<String> REMARKS =
      List.of(
          "老顾客",
          "VIP",
          "朋友介绍",
          "已加微信",
          "喜欢红色",
          "买过羊绒衫 XL",
          "不要打电话",
          "生日送礼",
          "老公也是会员",
          "女儿也来过",
          "要发票",
          "会员日来",
          "积分已兑换",
          "换过卡",
          "只要短信",
          "对羊毛过敏");

  private Names() {}

  static Surname surname(SplittableRandom rng, boolean east) {
    return (east ? SURNAMES_EAST : SURNAMES_ELSEWHERE).pick(rng);
  }

  static GivenName given(SplittableRandom rng, boolean male, int birthYear) {
    if (rng.nextDouble() < HEAD_SHARE) {
      int cohort = birthYear < 1975 ? 0 : birthYear < 1995 ? 1 : 2;
      return GIVEN.get(male ? 0 : 1).get(cohort).pick(rng);
    }
    Weighted<GivenName> characters = TAIL_CHARACTERS.get(male ? 0 : 1);
    GivenName first = characters.pick(rng);
    if (rng.nextDouble() < 0.15) {
      return first;
    }
    GivenName second;
    do {
      second = characters.pick(rng);
    } while (second.han().equals(first.han()));
    return new GivenName(
        first.han() + second.han(),
        List.of(first.syllables().get(0), second.syllables().get(0)),
        -1);
  }

  /**
   * The name with one character replaced by a homophone, mostly in the given name since clerks hear
   * the surname more often; the name itself if no character has a common homophone.
   */
  static String homophoneTypo(SplittableRandom rng, String name, int surnameLength) {
    boolean inSurname = rng.nextDouble() < 0.2;
    int from = inSurname ? 0 : surnameLength;
    int to = inSurname ? surnameLength : name.length();
    List<Integer> candidates = new ArrayList<>();
    for (int i = from; i < to; i++) {
      if (SOUNDS_ALIKE.containsKey(name.charAt(i))) {
        candidates.add(i);
      }
    }
    if (candidates.isEmpty()) {
      for (int i = 0; i < name.length(); i++) {
        if (SOUNDS_ALIKE.containsKey(name.charAt(i))) {
          candidates.add(i);
        }
      }
    }
    if (candidates.isEmpty()) {
      return name;
    }
    int at = candidates.get(rng.nextInt(candidates.size()));
    String options = SOUNDS_ALIKE.get(name.charAt(at));
    char wrong =
        rng.nextDouble() < 0.6 ? options.charAt(0) : options.charAt(rng.nextInt(options.length()));
    return name.substring(0, at) + wrong + name.substring(at + 1);
  }

  /** The name in traditional characters where they differ. */
  static String traditional(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    for (char c : name.toCharArray()) {
      sb.append(TRADITIONAL_FORM.getOrDefault(c, c));
    }
    return sb.toString();
  }

  static String capitalised(String word) {
    return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }

  private static double[] unbox(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
