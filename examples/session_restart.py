# session_restart.py — effect 7: Session restart.
# TF1 gives every graph node one kernel per Session (tf-api-semantics.md §1.1): a random op
# re-run in the same Session continues its Philox counter (N*256 blocks per run); a new
# Session on the same graph builds new kernels, so it repeats the first draws. One
# sess.run executes each node once, however often it is fetched: [x, x] is one draw.
# reset_default_graph restarts op ids (and forgets the graph seed), so the same code gets
# the same op seeds again and a new Session repeats everything.
# In eager mode the ops ran when they were created: sess.run(x) is x's value (the migrated
# TF2 reading); in function mode the program is one FuncGraph (TF2's counter op seeds) and
# each sess.run one call of it, with kernels that live as long as the Session.
# Look for: the counter start of each execution, and which prints repeat.
# Run:  seedflow compare examples/session_restart.py
#       seedflow explain examples/session_restart.py --mode graph --profile tf1
import tensorflow as tf

tf.compat.v1.set_random_seed(42)
x = tf.compat.v1.random_uniform([2])
with tf.compat.v1.Session() as sess:
    print(sess.run(x))
    print(sess.run(x))
    print(sess.run([x, x]))
with tf.compat.v1.Session() as sess:
    print(sess.run(x))

tf.compat.v1.reset_default_graph()
tf.compat.v1.set_random_seed(42)
x = tf.compat.v1.random_uniform([2])
with tf.compat.v1.Session() as sess:
    print(sess.run(x))
