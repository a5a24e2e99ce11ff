package com.onemember.mdm.bench.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The five cities the simulated chain has stores in, with real districts, roads and residential
 * compounds, and each city's habit of writing an address: Shanghai's 弄 lanes and 新村 estates,
 * Beijing's 号楼/单元 blocks, the 幢 of Hangzhou, Suzhou and Nanjing.
 */
final class Places {

  /** How a city writes the street part of an address. */
  enum Style {
    SHANGHAI,
    BEIJING,
    JIANGNAN
  }

  /**
   * A city.
   *
   * @param code the two letters in store names (store-hz-07)
   * @param municipality whether the city is its own province (上海市, 北京市)
   */
  record City(
      String code,
      String province,
      String provincePinyin,
      String city,
      String cityPinyin,
      boolean municipality,
      Style style,
      List<District> districts,
      List<String> compounds) {

    /** 杭州 for 杭州市, 浙江 for 浙江省. */
    String shortCity() {
      return city.substring(0, city.length() - 1);
    }

    String shortProvince() {
      return province.substring(0, province.length() - 1);
    }
  }

  record District(String name, List<String> roads) {}

  /**
   * One dwelling. {@code form} selects among the city's ways of writing it, so that one family's
   * address reads the same wherever it is typed in full.
   */
  record Home(
      City city,
      District district,
      String road,
      int number,
      String compound,
      int building,
      int unit,
      int room,
      int form) {

    /**
     * The street line as the family writes it, or in the other form a clerk may type instead
     * (3-1202 for 3号楼1202室, and the long form where the family writes 1-2-301).
     */
    String line(boolean shortForm) {
      return switch (city.style()) {
        case SHANGHAI ->
            switch (form) {
              case 0 ->
                  shortForm
                      ? road + number + "号" + building + "-" + room
                      : road + number + "号" + building + "号楼" + room + "室";
              case 1 ->
                  shortForm
                      ? road + number + "弄" + building + "-" + room
                      : road + number + "弄" + building + "号" + room + "室";
              default ->
                  shortForm
                      ? compound + building + "-" + room
                      : compound + building + "号" + room + "室";
            };
        case BEIJING ->
            form == 0
                ? (shortForm
                    ? compound + building + "-" + unit + "-" + room
                    : compound + building + "号楼" + unit + "单元" + room)
                : (shortForm
                    ? road + number + "号院" + building + "-" + unit + "-" + room
                    : road + number + "号院" + building + "号楼" + unit + "单元" + room);
        case JIANGNAN ->
            switch (form) {
              case 0 ->
                  shortForm
                      ? compound + building + "-" + unit + "-" + room
                      : compound + building + "幢" + unit + "单元" + room + "室";
              case 1 ->
                  shortForm
                      ? road + number + "号" + compound + building + "-" + room
                      : road + number + "号" + compound + building + "幢" + room + "室";
              default ->
                  shortForm
                      ? compound + building + "幢" + unit + "单元" + room + "室"
                      : compound + building + "-" + unit + "-" + room;
            };
      };
    }
  }

  static final List<City> CITIES =
      List.of(
          new City(
              "sh",
              "上海市",
              "Shanghai",
              "上海市",
              "Shanghai",
              true,
              Style.SHANGHAI,
              districts(
                  "徐汇区:漕溪北路 天钥桥路 宜山路 虹桥路 田林路 钦州路",
                  "浦东新区:张杨路 世纪大道 杨高南路 锦绣路 金桥路 东方路",
                  "静安区:南京西路 延安中路 共和新路 西康路",
                  "闵行区:都市路 七莘路 虹井路 莘松路",
                  "杨浦区:国权路 控江路 黄兴路 政立路",
                  "长宁区:天山路 仙霞路 古北路",
                  "普陀区:曹杨路 真如路 武宁路"),
              List.of(
                  "田林十二村", "曹杨新村", "长白新村", "康健新村", "古北新城", "仁恒河滨花园", "中远两湾城", "万科城市花园", "名都城",
                  "春申城")),
          new City(
              "hz",
              "浙江省",
              "Zhejiang",
              "杭州市",
              "Hangzhou",
              false,
              Style.JIANGNAN,
              districts(
                  "西湖区:文三路 天目山路 古墩路 文一西路 教工路",
                  "拱墅区:莫干山路 湖墅南路 上塘路",
                  "上城区:解放路 秋涛路 望江东路",
                  "滨江区:江南大道 滨盛路 长河路",
                  "余杭区:五常大道 良睦路 文一西路",
                  "萧山区:市心路 金城路 山阴路"),
              List.of(
                  "翠苑一区", "文鼎苑", "绿城桂花园", "金地自在城", "良渚文化村", "金色海岸", "西溪诚园", "嘉绿苑", "和家园", "星耀城")),
          new City(
              "sz",
              "江苏省",
              "Jiangsu",
              "苏州市",
              "Suzhou",
              false,
              Style.JIANGNAN,
              districts(
                  "姑苏区:人民路 干将路 十全街 三香路",
                  "工业园区:星湖街 现代大道 苏州大道东 金鸡湖大道",
                  "吴中区:东吴北路 宝带西路 吴中大道",
                  "虎丘区:狮山路 长江路 竹园路",
                  "相城区:阳澄湖路 相城大道"),
              List.of(
                  "湖左岸", "中海国际社区", "国宾一号", "新港天城", "玲珑湾", "都市花园", "三元二村", "金色家园", "橡树湾", "东港新村")),
          new City(
              "nj",
              "江苏省",
              "Jiangsu",
              "南京市",
              "Nanjing",
              false,
              Style.JIANGNAN,
              districts(
                  "鼓楼区:中山北路 北京西路 湖南路 草场门大街",
                  "玄武区:中山路 珠江路 北京东路",
                  "秦淮区:中华路 太平南路 龙蟠中路",
                  "建邺区:江东中路 应天大街 集庆门大街",
                  "江宁区:双龙大道 天元中路 胜太路",
                  "栖霞区:仙林大道 和燕路"),
              List.of(
                  "月牙湖花园", "万达华府", "龙江小区", "仁恒江湾城", "百家湖花园", "金陵世纪花园", "清江花苑", "银城东苑", "香槟国际",
                  "翠屏国际")),
          new City(
              "bj",
              "北京市",
              "Beijing",
              "北京市",
              "Beijing",
              true,
              Style.BEIJING,
              districts(
                  "朝阳区:朝阳路 建国路 安立路 北苑路 望京街",
                  "海淀区:中关村大街 学院路 万寿路 北三环西路",
                  "东城区:东四北大街 和平里东街 安定门外大街",
                  "西城区:西直门内大街 阜成门外大街 德胜门外大街",
                  "丰台区:丰台北路 方庄路 南三环西路",
                  "通州区:新华大街 梨园南街 九棵树东路"),
              List.of(
                  "望京西园三区", "天通苑北一区", "龙泽苑", "芳古园一区", "智慧社", "远洋山水", "万科星园", "富力城", "珠江帝景",
                  "双井小区")));

  /** Where members live: the chain's home market is the Yangtze delta, with a Beijing branch. */
  static final Weighted<City> MEMBER_CITIES =
      new Weighted<>(CITIES, new double[] {0.30, 0.20, 0.15, 0.15, 0.20});

  private Places() {}

  static Home home(SplittableRandom rng, City city) {
    District district = city.districts().get(rng.nextInt(city.districts().size()));
    String road = district.roads().get(rng.nextInt(district.roads().size()));
    String compound = city.compounds().get(rng.nextInt(city.compounds().size()));
    int forms = city.style() == Style.BEIJING ? 2 : 3;
    int form = rng.nextInt(forms);
    boolean lowRise = compound.endsWith("村") || rng.nextDouble() < 0.3;
    int floor = 1 + rng.nextInt(lowRise ? 6 : 33);
    int room = floor * 100 + 1 + rng.nextInt(lowRise ? 2 : 4);
    int number = 1 + rng.nextInt(rng.nextDouble() < 0.7 ? 200 : 1600);
    int building = 1 + rng.nextInt(lowRise ? 120 : 40);
    int unit = 1 + rng.nextInt(lowRise ? 3 : 4);
    return new Home(city, district, road, number, compound, building, unit, room, form);
  }

  private static List<District> districts(String... specs) {
    List<District> out = new ArrayList<>();
    for (String spec : specs) {
      String[] parts = spec.split(":");
      out.add(new District(parts[0], List.of(parts[1].split(" "))));
    }
    return List.copyOf(out);
  }
}
