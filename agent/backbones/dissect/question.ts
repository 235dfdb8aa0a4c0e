/**
 * The unit a question names, written `site:index` ("what does final_conv:7 detect?",
 * "conv2d_94.tmp_0:5", "synthetic:0"). The first such token wins; none gives undefined.
 */
export function unitInQuestion(question: string): string | undefined {
  return /(?:^|[\s"'`(])([A-Za-z_][\w./-]*:\d+)(?=$|[\s"'`).,;:?!])/.exec(question)?.[1];
}
