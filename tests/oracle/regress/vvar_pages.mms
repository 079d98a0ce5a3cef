# [vvar] has data in its pages 0 and 2, [vvar_vclock] in page 0; the others
# raise SIGBUS. An instruction fetch maps the page first, then hits NX.
touch 0x7ffff7ff7000 read
touch 0x7ffff7ff8000 read
touch 0x7ffff7ff9000 read
touch 0x7ffff7ffa000 read
touch 0x7ffff7ffb000 read
touch 0x7ffff7ffc000 read
touch 0x7ffff7ff7000 write
