// Our conversions between plain activations and oneDNN's channel blocks (Sources/CGEMM/BlockedLayout.c)
// against oneDNN's reorders doing the same, on one thread, call by call alternating, on one activation
// shape [N, C, H, W]: rounding to bfloat16 blocks (block 16 only) and adding blocks into plain.
// Built and run by scripts/bench-blocked-layout.sh.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <stdint.h>
#include <oneapi/dnnl/dnnl.h>
#include "BlockedLayout.h"
extern void omp_set_num_threads(int);
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static dnnl_engine_t eng; static dnnl_stream_t st;
static dnnl_primitive_t mk(dnnl_memory_desc_t*a,dnnl_memory_desc_t*b,int add){dnnl_primitive_attr_t at;dnnl_primitive_attr_create(&at);
 if(add){dnnl_post_ops_t o;dnnl_post_ops_create(&o);dnnl_post_ops_append_sum(o,1.0f);dnnl_primitive_attr_set_post_ops(at,o);}
 dnnl_primitive_desc_t pd; if(dnnl_reorder_primitive_desc_create(&pd,a,eng,b,eng,at)) {printf("pd fail\n");exit(1);} dnnl_primitive_t p; dnnl_primitive_create(&p,pd); return p;}
static void runp(dnnl_primitive_t p,dnnl_memory_desc_t*a,void*pa,dnnl_memory_desc_t*b,void*pb){dnnl_memory_t ma,mb;dnnl_memory_create(&ma,a,eng,pa);dnnl_memory_create(&mb,b,eng,pb);
 dnnl_exec_arg_t args[2]={{DNNL_ARG_FROM,ma},{DNNL_ARG_TO,mb}};dnnl_primitive_execute(p,st,2,args);dnnl_stream_wait(st);dnnl_memory_destroy(ma);dnnl_memory_destroy(mb);}
int main(int argc,char**argv){ omp_set_num_threads(1);
 long n=atol(argv[1]),c=atol(argv[2]),h=atol(argv[3]),w=atol(argv[4]); int blk=atoi(argv[5]);
 if(!neurossia_blocked_layout_available(blk,0)){printf("this CPU has no kernels for blocks of %d: oneDNN's reorders run there\n",blk);return 0;}
 dnnl_engine_create(&eng,dnnl_cpu,0); dnnl_stream_create(&st,eng,dnnl_stream_default_flags);
 dnnl_dims_t d={n,c,h,w}; long cnt=n*c*h*w;
 dnnl_memory_desc_t plain,bf,bl; dnnl_memory_desc_init_by_tag(&plain,4,d,dnnl_f32,dnnl_abcd);
 dnnl_format_tag_t tag= blk==16?dnnl_aBcd16b:dnnl_aBcd8b;
 dnnl_memory_desc_init_by_tag(&bf,4,d,dnnl_bf16,tag); dnnl_memory_desc_init_by_tag(&bl,4,d,dnnl_f32,tag);
 float*a=aligned_alloc(64,cnt*4),*b=aligned_alloc(64,cnt*4); for(long i=0;i<cnt;i++){a[i]=i*1e-3f;b[i]=1;}
 const char*names[]={"f32->bf16 blocked","f32->f32 blocked","blocked->f32","blocked->f32 add"};
 for(int mode=(blk==16&&neurossia_blocked_layout_available(16,1)?0:3);mode<4;mode+=3){
   dnnl_primitive_t p = mode==0?mk(&plain,&bf,0):mode==1?mk(&plain,&bl,0):mk(&bl,&plain,mode==3);
   double to=0,tu=0; int reps=30;
   for(int r=0;r<reps;r++){
     double t0=now(); if(mode==0)runp(p,&plain,a,&bf,b); else if(mode==1)runp(p,&plain,a,&bl,b); else runp(p,&bl,a,&plain,b); to+=now()-t0;
     t0=now(); if(mode==0) neurossia_to_blocked_bf16(a,(uint16_t*)b,n,c,h*w); else if(mode==3) neurossia_add_from_blocked(a,b,n,c,h*w,blk); tu+=now()-t0;
   }
   printf("%dx%dx%dx%d block %d %-18s oneDNN %.2f Gvalues/s, ours %.2f: %.2fx\n",(int)n,(int)c,(int)h,(int)w,blk,names[mode],cnt*reps/to/1e9,cnt*reps/tu/1e9,to/tu);
 }}
