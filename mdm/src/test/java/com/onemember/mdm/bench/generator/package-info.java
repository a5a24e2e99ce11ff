/**
 * A seeded generator of Chinese retail member data with ground truth, for measuring the matcher on
 * the data it will meet rather than on Western benchmark sets: the same people as a chain's tills,
 * web shop, WeChat mini program and store sheets record them, each with its own layouts, gaps and
 * errors, and the truth about who is who. The distributions are shaped by what makes Chinese member
 * matching hard: surnames follow the census (王, 李 and 张 alone cover a fifth of people) and a skewed
 * head of given names makes 王伟, 李静 or 张敏 the names of dozens of unrelated members, so a name proves
 * little; families share one mobile number, so a number alone does not prove identity either; and
 * clerks' homophone typos, platform-masked and mistyped numbers, year-less birthdays and WeChat
 * nicknames hide the evidence that does. Rates of each error follow what store data shows in
 * practice, so that a matcher tuned here is tuned for production.
 */
package com.onemember.mdm.bench.generator;
